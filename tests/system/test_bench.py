"""The benchmark's own logic. Its timings are never asserted here (shared machines are noisy);
``informant bench`` prints them and checks the budget in the same run."""

import io

from cli import main
from evals import bench


def _result(**overrides):
    result = {
        "date": "2026-11-27",
        "machine": "2 cores, test CPU, 24 GB",
        "model": "qwen2.5-1.5b",
        "threads": 2,
        "context_tokens": 8192,
        "first_turn_ttft_s": 24.0,
        "later_turn_ttft_s": 0.7,
        "decode_tok_per_s": 22.0,
        "turn_s": 5.0,
        "overhead_ms_p50": 30.0,
        "later_over_first_ttft": 0.03,
        "baseline": {"first_turn_ttft_s": 12.0, "later_turn_ttft_s": 14.0, "decode_tok_per_s": 21.0, "turn_s": 19.0},
        "ratios": {"later_turn_ttft_s": 0.05},
        "concurrency": [
            {
                "conversations": 4,
                "turns": 12,
                "errors": 0,
                "wall_s": 60.0,
                "turns_per_min": 12.0,
                "answer_tok_per_s": 20.0,
                "wait_s_p50": 9.0,
                "wait_s_max": 20.0,
                "ttft_s_p50": 10.0,
                "ttft_s_max": 21.0,
            }
        ],
        "retrieval_ms_p50_10k": 9.0,
        "critique_ms_p50": 0.6,
        "ingest_chunks_per_s": 45.0,
        "page_usable_s": 3.0,
        "peak_rss_mb": 2100.0,
    }
    result.update(overrides)
    return result


def test_the_budget_check_names_each_miss():
    rows = {r["key"]: r for r in bench.check_budget(_result())}
    assert rows["ingest_chunks_per_s"]["ok"] is False  # 45 < 200
    assert rows["later_turn_ttft_s"]["ok"] and rows["peak_rss_mb"]["ok"] and rows["retrieval_ms_p50_10k"]["ok"]
    rows = {r["key"]: r for r in bench.check_budget(_result(later_turn_ttft_s=1.4, peak_rss_mb=None))}
    assert rows["later_turn_ttft_s"]["ok"] is False and rows["peak_rss_mb"]["ok"] is None


def test_the_report_prints_ours_the_baseline_and_the_ratio_side_by_side():
    result = _result()
    result["budget"] = bench.check_budget(result)
    text = bench.format_report(result)
    assert "2 cores, test CPU" in text and "qwen2.5-1.5b" in text
    line = next(x for x in text.splitlines() if x.startswith("later turn TTFT"))
    assert line.split()[-3:] == ["0.7", "14.0", "0.05"]
    assert "MISS  ingest ≥ 200 chunks/s" in text
    assert any(x.split()[:3] == ["4", "12.0", "20.0"] for x in text.splitlines())


def test_the_store_part_measures_retrieval_ingestion_and_critique(tmp_path):
    out = bench.store_bench((200,), queries=10)
    assert out["chunks_200"] >= 200  # a long section may make two chunks
    assert out["retrieval_ms_p50_200"] > 0 and out["retrieval_ms_p95_200"] >= out["retrieval_ms_p50_200"]
    assert out["ingest_chunks_per_s"] > 0 and out["embed_only_chunks_per_s"] > 0 and out["critique_ms_p50"] > 0


def test_bench_refuses_anything_but_the_embedded_model_in_one_line(home, monkeypatch, capsys):
    monkeypatch.setenv("INFORMANT_PROVIDER", "fake")
    assert main(["bench"], out=io.StringIO(), stdin=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert "measures the embedded local model" in err and err.count("\n") == 1
    monkeypatch.setenv("INFORMANT_PROVIDER", "local")
    assert main(["bench", "--levels", "0"], out=io.StringIO(), stdin=io.StringIO()) == 2
    assert "--levels" in capsys.readouterr().err


def test_the_readme_table_says_which_budget_each_figure_meets_or_misses(tmp_path, capsys):
    import json

    result = _result()
    result["budget"] = bench.check_budget(result)
    table = bench.results_markdown(result)
    assert "| later turn, time to first token, typed in the page (p50) | 0.7 s | 14.0 s | 0.05 | meets" in table
    assert "**misses**: ingest ≥ 200 chunks/s" in table and "| 4 | 12.0 | 20.0 | 9.0 / 20.0 s |" in table
    saved = tmp_path / "bench.json"
    saved.write_text(json.dumps(result))
    out = io.StringIO()
    assert main(["bench", "--markdown", str(saved)], out=out, stdin=io.StringIO()) == 0
    assert out.getvalue().strip() == table
    assert main(["bench", "--markdown", str(tmp_path / "nope.json")], out=io.StringIO(), stdin=io.StringIO()) == 2
    assert "Fix: informant bench --out FILE" in capsys.readouterr().err
