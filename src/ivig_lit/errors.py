"""One error hierarchy for the whole package.

Every error carries structured fields and a ``user_message`` that the CLI prints as is. The
``Transient`` and ``Permanent`` markers tell retry logic (and Prefect's ``retry_condition_fn``)
whether trying again can help.
"""

from __future__ import annotations

from typing import Any


class Transient:
    """Marker: the same call may succeed later (rate limit, 5xx, dropped connection)."""


class Permanent:
    """Marker: retrying cannot help (bad query, bad input file, bad configuration)."""


class IvigLitError(Exception):
    """Base class; ``fields`` hold the structured context (url, pmid, file, status...)."""

    def __init__(self, user_message: str, **fields: Any) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.fields = {k: v for k, v in fields.items() if v is not None}

    def __str__(self) -> str:
        return self.user_message


class ConfigError(IvigLitError, Permanent):
    """Settings or environment are invalid."""


class InvalidArgumentError(IvigLitError, Permanent):
    """A user-supplied value is malformed (an ISO week, a date range...)."""


class RegistryError(IvigLitError, Permanent):
    """The condition registry file is invalid (unknown keys, duplicate ids, empty query...)."""


class EutilsHTTPError(IvigLitError, Permanent):
    """E-utilities answered with a 4xx that retrying cannot fix."""


class RateLimitedError(IvigLitError, Transient):
    """E-utilities or ClinicalTrials.gov answered 429 (or NCBI's JSON 'API rate limit exceeded' body) and
    retries ran out."""


class EutilsUnavailableError(IvigLitError, Transient):
    """5xx, timeouts, dropped connections or truncated bodies outlasted every retry."""


class EutilsResponseError(IvigLitError, Permanent):
    """A 200 response carried an error payload (ESearch ERROR/errorlist, XML <ERROR>)."""


class CtgovHTTPError(IvigLitError, Permanent):
    """ClinicalTrials.gov answered with a 4xx that retrying cannot fix (a bad query or page token)."""


class CtgovUnavailableError(IvigLitError, Transient):
    """ClinicalTrials.gov 5xx, timeouts, dropped connections or cut JSON outlasted every retry."""


class CtgovResponseError(IvigLitError, Permanent):
    """A 200 from ClinicalTrials.gov that is not a page of studies (an error body, a looping page token)."""


class TrialSyncError(IvigLitError):
    """The nightly trials step stopped on a ClinicalTrials.gov failure (its ``__cause__``, whose
    marker says whether trying again can help). ``sync`` is what the step did before it stopped,
    requests and the conditions already stored included, so the run can still account for them."""

    def __init__(self, user_message: str, sync: Any, **fields: Any) -> None:
        super().__init__(user_message, **fields)
        self.sync = sync


class MalformedFileError(IvigLitError, Permanent):
    """A PubMed XML file cannot be read to the end (truncated, not XML, wrong root)."""


class MalformedRecordError(IvigLitError, Permanent):
    """One record cannot be parsed or tagged; it is quarantined and the run goes on."""


class SchemaVersionError(IvigLitError, Permanent):
    """The warehouse was written by a newer ivig-lit than this one."""


class MigrationError(IvigLitError, Permanent):
    """A schema migration failed; it was rolled back."""


class WarehouseLockedError(IvigLitError, Transient):
    """Another process holds the warehouse for writing."""


class QueryError(IvigLitError, Permanent):
    """A user's SQL query failed or tried to write."""


class PrefectUnavailableError(IvigLitError, Transient):
    """The Prefect API that runs and records flows could not be started or reached."""


class CurationError(IvigLitError, Permanent):
    """A curator override is invalid (unknown PMID, design or condition; a bad line in a bulk file)."""


class ChecksumMismatchError(IvigLitError, Permanent):
    """A downloaded file does not match the ``.md5`` NCBI published beside it (a broken download)."""
