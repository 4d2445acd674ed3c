"""The embedded path end to end, on the smallest model that installs from PyPI (SmolLM2-135M, llama.cpp)."""

import pytest

import agents.models as models
from agents.models import ChatLlamaCpp, build_chat_model
from core.settings import Settings
from knowledge.retrieval import Retriever


@pytest.mark.model
def test_real_llama_cpp_answers_in_character(tmp_path, monkeypatch, store):
    """The embedded path end to end, on the smallest model package (SmolLM2-135M)."""
    monkeypatch.setattr(models, "ALLOW_MODEL_REQUESTS", True)
    settings = Settings(home=tmp_path, provider="local", model="smollm2-135m", max_answer_tokens=40)
    model = build_chat_model(settings)
    assert isinstance(model, ChatLlamaCpp)
    from agents.informant import Informant
    from knowledge.personas import get_persona

    informant = Informant(model, Retriever(store), settings=settings)
    conversation = informant.start(get_persona("marcus-bell"))
    updates = list(informant.stream(conversation, "What is your typical day like in your role?"))
    turn = updates[-1].turn
    assert len([u for u in updates if u.answer]) > 3, "tokens should stream"
    assert turn.answer and not turn.partial and turn.sources
    # The second turn reuses the evaluated prefix: llama.cpp keeps it in the same Llama object,
    # which the informant's copy of the model (its answer length) shares.
    llama = model.llama
    informant.ask(conversation, "What challenges do you face in your job?")
    assert informant.model_for(conversation.persona).llama is llama is model.llama
