"""Every setting of Insiktsgrafen in one typed list: its environment variable, default and help.

Library code reads settings only through `get_settings()`, never `os.environ`, so that the CLI
help, the README's settings table and the dashboard all describe the same thing. Each field's
environment variable is its `validation_alias`; the help text is its `description`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.errors import InsiktError


def _env(name: str) -> AliasChoices:
    return AliasChoices(name)


class Settings(BaseSettings):
    """The settings table. Add a field here (with its env var and help) rather than reading
    the environment anywhere else."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=False,
                                      case_sensitive=True)

    # -- the store ---------------------------------------------------------------------
    backend: str = Field("embedded", validation_alias=_env("INSIKT_BACKEND"),
                         description="Graph store: embedded (default, no server) or neo4j.")
    store: Path | None = Field(None, validation_alias=_env("INSIKT_STORE"),
                               description="Embedded store file (default .insikt/graph.json).")

    # -- Neo4j -------------------------------------------------------------------------
    neo4j_uri: str = Field("bolt://127.0.0.1:7687", validation_alias=_env("NEO4J_URI"),
                           description="Bolt URI of the Neo4j server.")
    neo4j_user: str = Field("neo4j", validation_alias=_env("NEO4J_USER"),
                            description="Neo4j user name.")
    neo4j_password: SecretStr = Field(SecretStr("insikt-dev-password"),
                                      validation_alias=_env("NEO4J_PASSWORD"),
                                      description="Neo4j password (never printed).")
    neo4j_database: str = Field("neo4j", validation_alias=_env("NEO4J_DATABASE"),
                                description="Neo4j database name.")
    neo4j_batch: str = Field("1000", validation_alias=_env("INSIKT_NEO4J_BATCH"),
                             description="Records per UNWIND batch when loading into Neo4j.")

    # -- reference data (never assumed to be at ../shared) ------------------------------
    register_path: Path | None = Field(None, validation_alias=_env("INSIKT_REGISTER"),
                                  description="ESV agency register JSON (esv.json), used to "
                                  "match agency names in notes and by the generator.")
    cpsv_ap_dir: Path | None = Field(None, validation_alias=_env("INSIKT_CPSV_AP_DIR"),
                                     description="Folder with the official CPSV-AP 3.2.0 files "
                                     "(cpsv-ap-SHACL.ttl, cpsv-ap.ttl), to validate JSON-LD.")

    # -- limits on input (robust: docs/reliability.md) -----------------------------------
    # Every file a user hands over (dataset files, packages, notes) is checked against these
    # before it is parsed, so that no input can exhaust memory or time. Raise one when a real
    # file needs more; the error message names the setting.
    max_file_bytes: int = Field(64 * 1024 * 1024, ge=1, validation_alias=_env("INSIKT_MAX_FILE_BYTES"),
                                description="Largest dataset, notes or package member file, "
                                "in bytes (default 64 MiB).")
    max_entries: int = Field(500_000, ge=1, validation_alias=_env("INSIKT_MAX_ENTRIES"),
                             description="Most entries (YAML items or CSV rows) in one dataset "
                             "file.")
    max_string: int = Field(100_000, ge=1, validation_alias=_env("INSIKT_MAX_STRING"),
                            description="Longest text value, key or CSV cell, in characters.")
    max_yaml_aliases: int = Field(10_000, ge=0, validation_alias=_env("INSIKT_MAX_YAML_ALIASES"),
                                  description="Most YAML nodes that aliases (*name) may add to "
                                  "one file when expanded; each alias counts the size of what "
                                  "it stands for (stops alias bombs).")
    max_depth: int = Field(20, ge=2, validation_alias=_env("INSIKT_MAX_DEPTH"),
                           description="Deepest nesting of lists and mappings in a YAML file or "
                           "a package manifest.")
    max_package_members: int = Field(100, ge=1,
                                     validation_alias=_env("INSIKT_MAX_PACKAGE_MEMBERS"),
                                     description="Most members (files and folders) in an "
                                     "insight package zip.")
    max_package_bytes: int = Field(128 * 1024 * 1024, ge=1,
                                   validation_alias=_env("INSIKT_MAX_PACKAGE_BYTES"),
                                   description="Largest total uncompressed size of an insight "
                                   "package's members, and of the zip file itself, in bytes "
                                   "(default 128 MiB).")
    max_notes_bullets: int = Field(10_000, ge=1, validation_alias=_env("INSIKT_MAX_NOTES_BULLETS"),
                                   description="Most insight bullets in one workshop notes file.")


class SettingsInvalid(InsiktError):
    """An environment variable holds a value its setting cannot take (e.g. a limit that is
    not a whole number)."""

    exit_code = 2


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment, read once per process (tests call `reset`)."""
    try:
        return Settings()
    except ValidationError as exc:
        wrong = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                          for e in exc.errors())
        raise SettingsInvalid(f"invalid setting in the environment: {wrong}") from None


def reset_settings() -> None:
    """Forget the cached settings, e.g. after a test changed the environment."""
    get_settings.cache_clear()
