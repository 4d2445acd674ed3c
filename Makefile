# The two commands: `make run` (the app on http://127.0.0.1:7860) and `make test`.
.PHONY: run test test-fast lint eval eval-critic bench setup

run:
	@./scripts/setup.sh --models
	@.venv/bin/informant serve

test:
	@./scripts/setup.sh --dev
	@.venv/bin/python -m pytest

# The edit loop: unit and integration tests (no page, no browser, no served app), in under a minute.
test-fast:
	@./scripts/setup.sh --dev
	@.venv/bin/python -m pytest -q tests/unit tests/integration

lint:
	@./scripts/setup.sh --dev
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .

eval-critic:
	@./scripts/setup.sh
	@.venv/bin/python -m evals.critic_eval evals/critic_questions.yaml evals/critic_holdout.yaml

eval:
	@./scripts/setup.sh --models
	@.venv/bin/informant eval

bench:
	@./scripts/setup.sh --models
	@.venv/bin/informant bench
