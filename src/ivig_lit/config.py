"""Settings, resolved once at the edge (CLI or flow) and passed down; nothing reads the
environment later. Every field can come from ``IVIG_LIT_<FIELD>``; CLI flags override."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from platformdirs import user_data_dir

from ivig_lit.errors import ConfigError

NCBI_EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
CTGOV_API = "https://clinicaltrials.gov/api/v2/"
NCBI_HOST = "eutils.ncbi.nlm.nih.gov"  # the one host that always may receive the API key (over https)


def data_dir() -> Path:
    """Where the warehouse and digests live by default: the user's data directory
    (``$XDG_DATA_HOME/ivig-lit``, else ``~/.local/share/ivig-lit`` on Linux; the platform's
    equivalent elsewhere), never inside the installed package or its virtualenv."""
    return Path(user_data_dir("ivig-lit", appauthor=False))


@dataclass(frozen=True)
class Settings:
    warehouse: Path = field(default_factory=lambda: data_dir() / "ivig.duckdb")
    registry: Path | None = None  # None: the bundled registry
    base_url: str = NCBI_EUTILS
    ctgov_base_url: str | None = None  # None: ClinicalTrials.gov beside NCBI, else the emulator beside base_url
    email: str | None = None
    tool: str = "ivig-lit"
    ncbi_api_key: str | None = field(default=None, repr=False)  # never logged, never stored
    key_hosts: tuple[str, ...] = ()  # hosts besides NCBI's that may receive the API key (a mirror)
    batch_size: int = 300  # PMIDs per EFetch POST
    history_threshold: int = 3000  # a result set larger than this is fetched from NCBI's history server
    history_batch_size: int = 1000  # records per EFetch page from the history server
    union_search: bool = True  # one ESearch for all conditions sharing a window (False: one per condition)
    timeout: float = 60.0  # seconds per HTTP request
    max_tries: int = 6  # per E-utilities request, the first try included
    rate_limit: float | None = None  # requests/s; only for a local emulator or mirror, never NCBI
    overlap_days: int = 3  # re-read window behind each watermark
    backfill_start: str = "1900/01/01"
    timezone: str = "America/New_York"
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, repr=False)
    smtp_starttls: bool = False
    digest_from: str = "ivig-lit@localhost"
    digest_to: tuple[str, ...] = ()
    digest_dir: Path = field(default_factory=lambda: data_dir() / "digests")

    @property
    def requests_per_second(self) -> float:
        """NCBI's published limit: 3 requests/s, 10 with an API key (a local emulator may allow more)."""
        return self.rate_limit or (10.0 if self.ncbi_api_key else 3.0)

    @property
    def ctgov_url(self) -> str:
        """ClinicalTrials.gov API v2 base: the real one beside NCBI, the same host's ``/api/v2/`` beside a
        local emulator (it serves both), unless set explicitly."""
        if self.ctgov_base_url:
            return self.ctgov_base_url
        if "ncbi.nlm.nih.gov" in self.base_url:
            return CTGOV_API
        scheme, _, rest = self.base_url.partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}/api/v2/"

    def check_fetch(self) -> None:
        """Validate the settings only fetching uses; called when a client is built, so commands that
        never fetch (``status``, ``sql``, ``load-xml``) run whatever they are."""
        host = (urlparse(self.base_url).hostname or "").lower()
        if self.rate_limit and (host == "ncbi.nlm.nih.gov" or host.endswith(".ncbi.nlm.nih.gov")):
            raise ConfigError(
                "IVIG_LIT_RATE_LIMIT may not be set for NCBI's E-utilities: NCBI allows 3 requests/s, 10 with a key"
            )

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Read ``IVIG_LIT_*`` variables, then apply non-None overrides (CLI flags)."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(f"IVIG_LIT_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.name, raw, f.type)
        values.update({k: v for k, v in overrides.items() if v is not None})
        try:
            settings = cls(**values)  # type: ignore[arg-type]
        except TypeError as e:
            raise ConfigError(f"invalid settings: {e}") from None
        if settings.batch_size < 1 or settings.batch_size > 10000:
            raise ConfigError(f"batch_size must be between 1 and 10000, got {settings.batch_size}")
        if settings.history_batch_size < 1 or settings.history_batch_size > 10000:
            raise ConfigError(f"history_batch_size must be between 1 and 10000, got {settings.history_batch_size}")
        if settings.history_threshold < 0:
            raise ConfigError(f"history_threshold must be 0 or more, got {settings.history_threshold}")
        if settings.max_tries < 1:
            raise ConfigError(f"max_tries must be at least 1, got {settings.max_tries}")
        return settings


def _coerce(name: str, raw: str, type_: object) -> object:
    t = str(type_)
    try:
        if "Path" in t:
            return Path(raw).expanduser()
        if "tuple" in t:
            return tuple(x.strip() for x in raw.split(",") if x.strip())
        if "bool" in t:
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if t.startswith("int"):
            return int(raw)
        if t.startswith("float"):
            return float(raw)
    except ValueError:
        raise ConfigError(f"IVIG_LIT_{name.upper()} must be a {t.split(' ')[0]}, got {raw!r}") from None
    return raw
