"""Every setting of Insiktsgrafen in one typed list: its environment variable, default and help.

Library code reads settings only through `get_settings()`, never `os.environ`, so that the CLI
help, the README's settings table and the dashboard all describe the same thing. Each field's
environment variable is its `validation_alias`; the help text is its `description`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    # -- the ad-hoc Cypher console (queries/adhoc.py; docs/security.md) ----------------
    cypher_max_chars: int = Field(10_000, ge=1, validation_alias=_env("INSIKT_CYPHER_MAX_CHARS"),
                                  description="Longest ad-hoc Cypher text accepted, in "
                                  "characters (a size limit: the server's parser and planner "
                                  "slow down badly on huge texts).")
    cypher_max_nesting: int = Field(50, ge=1, validation_alias=_env("INSIKT_CYPHER_MAX_NESTING"),
                                    description="Deepest nesting of ( [ { in ad-hoc Cypher (a "
                                    "size limit: deeper nesting overflows the server's parser "
                                    "stack, which then never answers).")
    cypher_max_result_bytes: int = Field(16 * 2**20, ge=1024,
                                         validation_alias=_env("INSIKT_CYPHER_MAX_RESULT_BYTES"),
                                         description="Largest ad-hoc Cypher result, in bytes "
                                         "as received from the server; a bigger one is cut off "
                                         "as it streams.")
    cypher_max_lingering: int = Field(2, ge=1, validation_alias=_env("INSIKT_CYPHER_MAX_LINGERING"),
                                      description="Refuse new ad-hoc Cypher while this many "
                                      "earlier timed-out queries are still being computed by "
                                      "Neo4j after termination.")
    cypher_max_result_values: int = Field(1_000_000, ge=1,
                                          validation_alias=_env("INSIKT_CYPHER_MAX_RESULT_VALUES"),
                                          description="Most values (list elements, map entries, "
                                          "properties) in an ad-hoc Cypher result.")

    # -- reference data (never assumed to be at ../shared) ------------------------------
    register_path: Path | None = Field(None, validation_alias=_env("INSIKT_REGISTER"),
                                  description="ESV agency register JSON (esv.json), used to "
                                  "match agency names in notes and by the generator.")
    cpsv_ap_dir: Path | None = Field(None, validation_alias=_env("INSIKT_CPSV_AP_DIR"),
                                     description="Folder with the official CPSV-AP 3.2.0 files "
                                     "(cpsv-ap-SHACL.ttl, cpsv-ap.ttl), to validate JSON-LD.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment, read once per process (tests call `reset`)."""
    return Settings()


def current_settings() -> Settings:
    """The settings as the environment says now (not cached), with a bad value reported as a
    SettingError that names the variable instead of a pydantic traceback."""
    from pydantic import ValidationError

    from .errors import SettingError

    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                             for e in exc.errors(include_url=False, include_input=False))
        raise SettingError(f"invalid setting: {problems}") from None


def reset_settings() -> None:
    """Forget the cached settings, e.g. after a test changed the environment."""
    get_settings.cache_clear()
