"""The one typed settings tree, loaded once at the entry point and passed down.

Sources, later ones winning: defaults, a TOML file (``--config`` or
``LEGAL_ASSISTANT_CONFIG``), environment variables ``LEGAL_ASSISTANT__SECTION__FIELD``
(for example ``LEGAL_ASSISTANT__LLM__MODE=openai``), ``LEGAL_ASSISTANT_DATA_DIR`` and
command-line flags.
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assistant.judgment.settings import ChargeRankerSettings
from retrieval.settings import EmbeddingSettings, RetrievalSettings, VectorStoreSettings

ENV_PREFIX = "LEGAL_ASSISTANT__"


def default_data_dir() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "legal-assistant"


def default_corpus_dir() -> Path | None:
    """`../shared/corpora` beside the checkout when it exists, else the fetched corpus (if any)."""
    here = Path(__file__).resolve().parent.parent
    shared = here.parent / "shared" / "corpora"
    return shared if shared.is_dir() else None


class LLMSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    mode: Literal["transformers", "openai", "extractive"] = Field(
        "extractive", description="Generation backend; 'extractive' needs no model."
    )
    model: str = Field("", description="transformers: hub id or local folder; openai: the served model name.")
    adapter: str = Field("", description="Optional PEFT adapter folder (from `finetune train`).")
    load_in_4bit: bool = Field(
        False, description="Load the model in 4-bit NF4 (needs CUDA and bitsandbytes)."
    )
    base_url: str = Field("http://127.0.0.1:8000/v1", description="openai: the endpoint's base URL.")
    api_key: str = Field("EMPTY", description="openai: API key (most local servers ignore it).")
    max_new_tokens: int = Field(768, ge=1, description="Most tokens generated per answer.")
    temperature: float = Field(0.2, ge=0, description="Sampling temperature (0 = greedy).")
    timeout_s: float = Field(60.0, gt=0, description="openai: seconds before a request is given up.")


class UISettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = Field("127.0.0.1", description="Address `serve` listens on.")
    port: int = Field(7860, description="Port `serve` listens on.")
    admin_user: str = Field("admin", description="Administrator login for the index page.")
    admin_password: str = Field("", description="Administrator password; empty disables the index page.")
    max_question_chars: int = Field(4000, ge=10, description="Longer questions are refused.")
    max_upload_bytes: int = Field(5_000_000, ge=1000, description="Largest law file accepted by upload.")


class APISettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = Field(True, description="`serve` also offers the OpenAI-compatible /v1 endpoint.")
    port: int | None = Field(
        None, description="Port of the /v1 endpoint; empty = the UI's port (mounted on the same server)."
    )
    api_key: str = Field(
        "", description="When set, /v1 requests need `Authorization: Bearer <api_key>`; empty = no key."
    )
    max_body_bytes: int = Field(1_000_000, ge=1000, description="Largest /v1 request body accepted.")


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    data_dir: Path = Field(
        default_factory=default_data_dir, description="Where the index and generated data live."
    )
    corpus_dir: Path | None = Field(
        default_factory=default_corpus_dir, description="Corpus root (laws/, cases/ …)."
    )
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    vector_store: VectorStoreSettings = Field(default_factory=VectorStoreSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    ui: UISettings = Field(default_factory=UISettings)
    charges: ChargeRankerSettings = Field(default_factory=ChargeRankerSettings)
    api: APISettings = Field(default_factory=APISettings)

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"


class SettingsError(ValueError):
    """A settings file or variable that cannot be used; the message names it."""


def _set_path(tree: dict[str, Any], dotted: list[str], value: Any) -> None:
    node = tree
    for part in dotted[:-1]:
        node = node.setdefault(part, {})
    node[dotted[-1]] = value


def _parse_env_value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def load_settings(config: Path | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Build the settings tree. `overrides` uses dotted keys: {"llm.mode": "openai"}."""
    tree: dict[str, Any] = {}
    config = config or (
        Path(os.environ["LEGAL_ASSISTANT_CONFIG"]) if os.environ.get("LEGAL_ASSISTANT_CONFIG") else None
    )
    if config is not None:
        try:
            tree = tomllib.loads(Path(config).read_text(encoding="utf-8"))
        except FileNotFoundError as e:
            raise SettingsError(f"settings file not found: {config}") from e
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise SettingsError(f"settings file {config} is not valid TOML: {e}") from e
    for name, raw in os.environ.items():
        if name.startswith(ENV_PREFIX):
            _set_path(tree, name[len(ENV_PREFIX) :].lower().split("__"), _parse_env_value(raw))
    if os.environ.get("LEGAL_ASSISTANT_DATA_DIR"):
        tree["data_dir"] = os.environ["LEGAL_ASSISTANT_DATA_DIR"]
    for dotted, value in (overrides or {}).items():
        if value is not None:
            _set_path(tree, dotted.split("."), value)
    try:
        return Settings.model_validate(tree)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SettingsError(f"invalid setting {where}: {first['msg']}") from e


def apply_offline_environment() -> None:
    """The project never reaches a model hub or analytics endpoint unless the user opts in."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
