"""One typed settings object: packaged defaults < user file < environment < flags.

The user file is TOML (``$CLAIMTRACE_CONFIG``, else ``~/.config/claimtrace/config.toml`` when it
exists) with the same keys as :class:`Settings`; environment variables are ``CLAIMTRACE_<KEY>``
in upper case (lists comma-separated). Flags are passed to :func:`load_settings` as overrides.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from claimtrace.errors import ConfigError

__all__ = ["DEFAULT_MAX_DOCUMENT_BYTES", "Settings", "load_settings", "user_config_path"]

#: News articles are kilobytes; a saved page with inline assets rarely passes a few megabytes.
DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
#: Text, not bytes, is what costs memory: a document of 5 million characters (about 800,000
#: words, a long book) extracts within 800 MB, language model included (``python -m bench.size``).
DEFAULT_MAX_DOCUMENT_CHARS = 5_000_000

_ENV_PREFIX = "CLAIMTRACE_"


class Settings(BaseModel):
    """Everything that tunes a run. Defaults are the embedded ones."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str | None = Field(
        default=None, description="spaCy pipeline name or path; None = the embedded default"
    )
    max_document_bytes: int = Field(
        default=DEFAULT_MAX_DOCUMENT_BYTES, gt=0, description="larger inputs are refused"
    )
    max_document_chars: int = Field(
        default=DEFAULT_MAX_DOCUMENT_CHARS,
        gt=0,
        description="documents with more characters of text (after HTML and repair) are refused",
    )
    skip_stages: tuple[str, ...] = Field(default=(), description="stages switched off by name")
    # News articles are long: 8 per batch is as fast as 32 and peaks at half the memory.
    batch_size: int = Field(default=8, gt=0, description="documents per nlp.pipe batch")
    # The parser's memory grows faster than its input: a batch holds at most this many characters
    # (weighed by claimtrace.segments.weight_of), and a document that weighs this much or more
    # is parsed in segments of about half of it (see claimtrace.segments).
    batch_chars: int = Field(
        default=40_000, ge=1_000, description="characters per nlp.pipe batch; segment size x 2"
    )
    db: str | None = Field(
        default=None,
        description="the ledger: a SQLite file path or a postgresql:// URL; None = ./claimtrace.db",
    )


def user_config_path() -> Path | None:
    """The user's config file, if one is set or exists."""
    explicit = os.environ.get(f"{_ENV_PREFIX}CONFIG")
    if explicit:
        return Path(explicit)
    default = Path.home() / ".config" / "claimtrace" / "config.toml"
    return default if default.is_file() else None


def _from_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist (set by CLAIMTRACE_CONFIG)") from None
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"config file {path}: {err}") from err


def _from_env() -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key in Settings.model_fields:
        raw = os.environ.get(f"{_ENV_PREFIX}{key.upper()}")
        if raw is None:
            continue
        if key == "skip_stages":
            values[key] = tuple(part.strip() for part in raw.split(",") if part.strip())
        else:
            values[key] = raw
    return values


def load_settings(**overrides: Any) -> Settings:
    """Settings from all layers; ``overrides`` (flags) win. ``None`` overrides are ignored."""
    values: dict[str, Any] = {}
    path = user_config_path()
    if path is not None:
        values.update(_from_file(path))
    values.update(_from_env())
    values.update({key: value for key, value in overrides.items() if value is not None})
    try:
        return Settings(**values)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "settings"
        raise ConfigError(f"setting {where}: {first['msg']}") from None
