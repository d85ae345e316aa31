"""Every setting of Insiktsgrafen in one typed list: its environment variable, default and help.

Library code reads settings only through `get_settings()`, never `os.environ`, so that the CLI
help, `insikt settings`, the README's settings table and the dashboard all describe the same
thing. Each field's environment variable is its `validation_alias`; the help text is its
`description`. Keep the list flat: one field per setting, each with env var, default and help.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import InsiktError, SettingError
from .uri import mask_uri

MASK = "********"


def _env(name: str) -> AliasChoices:
    return AliasChoices(name)


class Settings(BaseSettings):
    """The settings table. Add a field here (with its env var and help) rather than reading
    the environment anywhere else."""

    # An empty variable counts as unset (as `os.environ.get(...) or default` did before).
    model_config = SettingsConfigDict(extra="ignore", populate_by_name=False,
                                      case_sensitive=True, env_ignore_empty=True)

    # -- the store ---------------------------------------------------------------------
    backend: str = Field("embedded", validation_alias=_env("INSIKT_BACKEND"),
                         description="Graph store: embedded (default, no server) or neo4j.")
    store: Path | None = Field(None, validation_alias=_env("INSIKT_STORE"),
                               description="Embedded store file, an SQLite database (default "
                               ".insikt/graph.db).")
    store_busy_timeout: float = Field(30.0, gt=0, validation_alias=_env("INSIKT_STORE_BUSY_TIMEOUT"),
                                      description="Seconds a load into the embedded store waits "
                                      "for another load to finish before it gives up.")

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
    neo4j_batch: int = Field(1000, ge=1, validation_alias=_env("INSIKT_NEO4J_BATCH"),
                             description="Records per UNWIND batch when loading into Neo4j.")
    neo4j_tx_entries: int = Field(
        20_000, ge=1, validation_alias=_env("INSIKT_NEO4J_TX_ENTRIES"),
        description="Most changed entries one Neo4j load transaction writes; a larger delta "
                    "(e.g. the first load of a large dataset) commits in parts of this size, "
                    "so the server's transaction memory stays bounded.")

    # -- the local Neo4j launcher (`insikt neo4j start`, scripts/neo4j/neo4j.sh) ---------
    neo4j_port: int | None = Field(None, ge=1, le=65535, validation_alias=_env("INSIKT_NEO4J_PORT"),
                                   description="Bolt port of the local Neo4j launcher (default: "
                                   "the port of a local NEO4J_URI, else 7687).")
    neo4j_home: Path | None = Field(None, validation_alias=_env("INSIKT_NEO4J_HOME"),
                                    description="Run folder of the local Neo4j (data, logs; "
                                    "default: run/ beside the launcher).")

    # -- saved queries -----------------------------------------------------------------
    query_dir: Path | None = Field(None, validation_alias=_env("INSIKT_QUERY_DIR"),
                                   description="Folder of your own saved queries, one NAME.yaml "
                                   "per query (see queries/library/), added to the catalog; "
                                   "they run on Neo4j.")

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


def env_var(name: str) -> str:
    """The environment variable of the setting `name` (a field of `Settings`)."""
    alias = Settings.model_fields[name].validation_alias
    assert isinstance(alias, AliasChoices)
    first = alias.choices[0]
    assert isinstance(first, str)
    return first


def _problem(error: Any) -> str:
    """One validation error as `ENV='value': why`, with secrets masked."""
    loc = str(error["loc"][0]) if error.get("loc") else "?"
    by_env = {env_var(n): n for n in Settings.model_fields}
    name = loc if loc in Settings.model_fields else by_env.get(loc, loc)
    env = env_var(name) if name in Settings.model_fields else loc
    field = Settings.model_fields.get(name)
    secret = field is not None and field.annotation is SecretStr
    shown = MASK if secret else repr(_shown(name, error.get("input")))
    return f"{env}={shown}: {error['msg']}"


def _read_settings() -> Settings:
    """The settings as the environment says now; a bad value is a SettingError that names the
    variable (secrets masked) instead of a pydantic traceback."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingError("invalid setting: " + "; ".join(_problem(e) for e in exc.errors()) +
                           " (see `insikt settings`)") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment, read once per process (tests call `reset`)."""
    return _read_settings()


def current_settings() -> Settings:
    """The settings as the environment says now (not cached): for the Neo4j connection and the
    console, which must see a changed environment at once."""
    return _read_settings()


def reset_settings() -> None:
    """Forget the cached settings, e.g. after a test changed the environment."""
    get_settings.cache_clear()


def require_path(name: str, value: Path | None, what: str) -> Path:
    """A path setting that must be given, else a clear error naming its variable."""
    if value is None:
        raise InsiktError(f"{what} is not configured: set {env_var(name)} (or give the path "
                          "as an argument)")
    return value


# -- the table (`insikt settings`, the README, the CLI help) -----------------------------------

@dataclass(frozen=True)
class SettingRow:
    name: str
    env: str
    default: str
    help: str
    current: str


def _shown(name: str, value: Any) -> str:
    if isinstance(value, SecretStr):
        return MASK if value.get_secret_value() else ""
    if value is None:
        return ""
    if name.endswith("_uri"):
        return mask_uri(str(value))
    return str(value)


def setting_rows(settings: Settings | None = None) -> list[SettingRow]:
    """One row per setting, in declaration order; `current` is masked for secrets."""
    current = settings if settings is not None else get_settings()
    rows = []
    for name, field in Settings.model_fields.items():
        default = field.default
        rows.append(SettingRow(name=name, env=env_var(name),
                               default="" if default is None else
                               (MASK if isinstance(default, SecretStr) else str(default)),
                               help=field.description or "",
                               current=_shown(name, getattr(current, name))))
    return rows


def markdown_table() -> str:
    """The settings as the Markdown table in the README (defaults, never current values)."""
    lines = ["| environment variable | default | what it sets |", "|---|---|---|"]
    for row in setting_rows(Settings.model_construct()):
        default = f"`{row.default}`" if row.default else "—"
        lines.append(f"| `{row.env}` | {default} | {row.help.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def option_help(name: str) -> str:
    """Help text for a CLI option that overrides a setting: its description and env var."""
    return f"{Settings.model_fields[name].description} Env: {env_var(name)}."
