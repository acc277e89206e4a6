"""Hardened HTTP client used by every portal adapter.

Design goals
------------
* One :class:`requests.Session` per client, mounted with an ``HTTPAdapter``
  whose urllib3 ``Retry`` retries idempotent GETs on 429/500/502/503/504 with
  exponential backoff and honours ``Retry-After`` (capped, configurable).
* Separate connect and read timeouts.
* Bodies are streamed and capped (:class:`BodyTooLarge`); short bodies
  (``Content-Length`` mismatch / ``IncompleteRead``) raise :class:`TruncatedBody`.
* JSON endpoints must *say* JSON: an HTML page served with ``200`` raises
  :class:`HtmlInsteadOfJson`.
* Redirects are followed by hand (``allow_redirects=False``) so that every hop
  is checked: no change of scheme, no host outside the portal's allowed hosts,
  no loops, at most ``max_redirects`` hops.

Every failure is a :class:`SourceError` subclass carrying a stable ``code``
(``"timeout"``, ``"http_503"``, ``"bad_json"``…) that the UI can translate, and
a short English ``message``.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ProtocolError, ReadTimeoutError
from urllib3.util.retry import Retry

__all__ = [
    "ApiError",
    "BadContentType",
    "BadJson",
    "BadShape",
    "BodyTooLarge",
    "ClientConfig",
    "ConnectFailed",
    "FetchedResponse",
    "HtmlInsteadOfJson",
    "HttpClient",
    "HttpStatusError",
    "RedirectLoop",
    "RedirectRefused",
    "SourceError",
    "SourceTimeout",
    "DeadlineExceeded",
    "TooManyRedirects",
    "TruncatedBody",
    "expect_type",
    "require",
]

RETRY_STATUSES: tuple[int, ...] = (429, 500, 502, 503, 504)
REDIRECT_STATUSES: frozenset[int] = frozenset({301, 302, 303, 307, 308})
_DEFAULT_PORTS = {"http": 80, "https": 443}


# --------------------------------------------------------------------------- errors
#: ANSI/VT escape sequences and every other control character (C0 except tab, DEL, C1): a portal's text
#: reaches an operator's terminal and the store, and must not drive either.
_ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])"  # CSI, OSC, two-character
    r"|[\x00-\x08\x0a-\x1f\x7f-\x9f]"  # other control characters
)


def plain_text(text: object, limit: int = 500) -> str:
    r"""`text` without escape sequences or control characters, on one line, at most `limit` characters.

    >>> plain_text("bad\x1b[31m red\x1b[0m\nnext\x07 line\x9b")
    'bad red next line'
    """
    value = _ESCAPES.sub(" ", str(text))
    return re.sub(r" {2,}", " ", value).strip()[:limit]


class SourceError(Exception):
    """Base class of every data-source failure.

    Attributes:
        code: stable machine code, safe to use as a translation key.
        message: short human-readable English message.
        url: the URL involved, when known.
    """

    code: str = "source_error"

    def __init__(self, message: str, *, url: str | None = None, code: str | None = None) -> None:
        message = plain_text(message)  # it may quote the portal's own words
        super().__init__(message)
        self.message = message
        self.url = None if url is None else plain_text(url, 2000)
        if code is not None:
            self.code = code

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class SourceTimeout(SourceError):
    """Connect or read timeout (``code="timeout"``)."""

    code = "timeout"


class ConnectFailed(SourceError):
    """Connection refused / DNS failure / reset (``code="connection_failed"``)."""

    code = "connection_failed"


class HttpStatusError(SourceError):
    """Non-2xx final status; ``code`` is ``"http_<status>"``."""

    def __init__(self, status: int, message: str, *, url: str | None = None) -> None:
        super().__init__(message, url=url, code=f"http_{status}")
        self.status = status


class BadJson(SourceError):
    """Body announced as JSON but not parseable (``code="bad_json"``)."""

    code = "bad_json"


class HtmlInsteadOfJson(SourceError):
    """An HTML page came back where JSON was expected (``code="html_instead_of_json"``)."""

    code = "html_instead_of_json"


class BadContentType(SourceError):
    """Unexpected ``Content-Type`` (``code="bad_content_type"``)."""

    code = "bad_content_type"


class BodyTooLarge(SourceError):
    """Body larger than the configured cap (``code="body_too_large"``)."""

    code = "body_too_large"


class TruncatedBody(SourceError):
    """Body shorter than announced / connection cut mid-body (``code="truncated"``)."""

    code = "truncated"


class RedirectLoop(SourceError):
    """A redirect chain revisits a URL (``code="redirect_loop"``)."""

    code = "redirect_loop"


class TooManyRedirects(SourceError):
    """More hops than ``max_redirects`` (``code="too_many_redirects"``)."""

    code = "too_many_redirects"


class RedirectRefused(SourceError):
    """Redirect to another scheme or to a host not allowed (``code="redirect_refused"``)."""

    code = "redirect_refused"


class BadShape(SourceError):
    """Valid JSON whose structure is not what the API documents (``code="bad_shape"``)."""

    code = "bad_shape"


class ApiError(SourceError):
    """The API answered but reported a failure (e.g. CKAN ``success: false``; ``code="api_error"``)."""

    code = "api_error"


# --------------------------------------------------------------------------- config
@dataclass(frozen=True)
class ClientConfig:
    """Tunable limits of :class:`HttpClient` (tests use small values)."""

    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    total_retries: int = 3
    backoff_factor: float = 0.5
    backoff_max: float = 10.0
    retry_after_cap: float = 30.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    user_agent: str = "OpenGovImpact/1.0 (+dashboard; contact: open-ouvert)"
    chunk_size: int = 64 * 1024
    #: the whole time one client (one portal) may take, all requests, retries and redirects included;
    #: at the deadline its open connections are shut down, whatever they are waiting for (a server that
    #: never answers, or trickles one byte at a time, headers or body). ``None``: no deadline.
    deadline_s: float | None = 30.0


class _CappedRetry(Retry):
    """``Retry`` whose ``Retry-After`` sleep never exceeds ``retry_after_cap`` seconds."""

    def __init__(self, *args: Any, retry_after_cap: float = 30.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_after_cap = float(retry_after_cap)

    def new(self, **kw: Any) -> _CappedRetry:  # noqa: D102 - urllib3 API
        kw.setdefault("retry_after_cap", self.retry_after_cap)
        return super().new(**kw)  # type: ignore[return-value]

    def get_retry_after(self, response: Any) -> float | None:  # noqa: D102 - urllib3 API
        value = super().get_retry_after(response)
        if value is None:
            return None
        return max(0.0, min(float(value), self.retry_after_cap))


@dataclass
class FetchedResponse:
    """A fully read, size-checked response."""

    url: str
    status: int
    headers: Mapping[str, str]
    content: bytes
    elapsed_s: float
    redirects: list[str] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        """Lower-cased media type without parameters (``""`` if absent)."""
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        """Decode the body using the declared charset, defaulting to UTF-8."""
        charset = "utf-8"
        for part in self.headers.get("Content-Type", "").split(";")[1:]:
            key, _, val = part.strip().partition("=")
            if key.lower() == "charset" and val:
                charset = val.strip('"')
        try:
            return self.content.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return self.content.decode("utf-8", errors="replace")


def _host_port(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port


def _looks_like_html(content_type: str, body: bytes) -> bool:
    if "html" in content_type:
        return True
    head = body[:512].lstrip().lower()
    return head.startswith(b"<!doctype html") or head.startswith(b"<html")


def _error_message_from_body(body: bytes) -> str | None:
    """Best-effort extraction of an API error message (CKAN, ODS, Socrata, OGC)."""
    try:
        data = json.loads(body.decode("utf-8", errors="replace"))
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    err = data.get("error")
    if isinstance(err, dict):
        msg = err.get("message") or err.get("__type")
        if msg:
            return str(msg)[:200]
    for key in ("message", "description", "detail", "error"):
        if isinstance(data.get(key), str):
            return data[key][:200]
    return None


class DeadlineExceeded(SourceTimeout):
    """The portal's whole deadline (``ClientConfig.deadline_s``) passed (``code="deadline"``)."""

    code = "deadline"


# --------------------------------------------------------------------------- deadline
class _Connections:
    """The sockets one client opened, so that its deadline can shut them down from another thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.conns: weakref.WeakSet[Any] = weakref.WeakSet()
        self.expired = False

    def add(self, conn: Any) -> None:
        with self.lock:
            self.conns.add(conn)
            expired = self.expired
        if expired:
            _shutdown(conn)

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            conns = list(self.conns)
        for conn in conns:
            _shutdown(conn)


def _shutdown(conn: Any) -> None:
    sock = getattr(conn, "sock", None)  # http.client.HTTPConnection.sock (public)
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _tracked_pool_classes(registry: _Connections) -> dict[str, type]:
    """urllib3 pool classes whose connections register their socket in `registry` once connected.

    Uses urllib3's public extension points: ``PoolManager.pool_classes_by_scheme``,
    ``HTTPConnectionPool.ConnectionCls`` and ``HTTPConnection.connect`` (tests/sources/test_http.py fails
    if they change)."""

    class Conn(HTTPConnection):
        def connect(self) -> None:
            super().connect()
            registry.add(self)

    class TlsConn(HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            registry.add(self)

    class Pool(HTTPConnectionPool):
        ConnectionCls = Conn

    class TlsPool(HTTPSConnectionPool):
        ConnectionCls = TlsConn

    return {"http": Pool, "https": TlsPool}


class _DeadlineAdapter(HTTPAdapter):
    def __init__(self, registry: _Connections, **kwargs: Any) -> None:
        self._registry = registry  # before HTTPAdapter.__init__, which builds the pool manager
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:  # noqa: D102 - requests API
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _tracked_pool_classes(self._registry)


# --------------------------------------------------------------------------- client
class HttpClient:
    """Thread-compatible GET client (use one instance per worker thread).

    Args:
        config: limits; defaults to :class:`ClientConfig()`.
        allowed_hosts: host names (optionally ``host:port``) every URL - initial
            and redirect targets - must belong to. ``None`` disables the check.
        session: an existing session (tests, connection reuse); a new one otherwise.
    """

    def __init__(
        self,
        config: ClientConfig | None = None,
        allowed_hosts: Iterable[str] | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.config = config or ClientConfig()
        self.allowed_hosts: frozenset[str] | None = (
            None if allowed_hosts is None else frozenset(h.strip().lower() for h in allowed_hosts if h.strip())
        )
        self.session = session or requests.Session()
        retry = _CappedRetry(
            total=self.config.total_retries,
            connect=self.config.total_retries,
            read=self.config.total_retries,
            status=self.config.total_retries,
            backoff_factor=self.config.backoff_factor,
            backoff_max=self.config.backoff_max,
            status_forcelist=RETRY_STATUSES,
            respect_retry_after_header=True,
            allowed_methods=frozenset({"GET"}),
            raise_on_status=False,
            redirect=False,
            retry_after_cap=self.config.retry_after_cap,
        )
        self._connections = _Connections()
        adapter = _DeadlineAdapter(self._connections, max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = self.config.user_agent
        self._deadline: float | None = None
        self._timer: threading.Timer | None = None
        if self.config.deadline_s is not None:
            self._deadline = time.monotonic() + float(self.config.deadline_s)
            self._timer = threading.Timer(float(self.config.deadline_s), self._connections.expire)
            self._timer.daemon = True
            self._timer.start()

    # -- deadline ----------------------------------------------------------
    def remaining(self) -> float | None:
        """Seconds left before the deadline (``None`` without one; never negative)."""
        return None if self._deadline is None else max(0.0, self._deadline - time.monotonic())

    def expired(self) -> bool:
        """True once the deadline has passed."""
        return self._deadline is not None and (self._connections.expired or time.monotonic() >= self._deadline)

    def _deadline_error(self, url: str) -> DeadlineExceeded:
        return DeadlineExceeded(
            f"The portal took longer than the {self.config.deadline_s:g} s allowed; it was stopped.", url=url
        )

    # -- context manager ---------------------------------------------------
    def close(self) -> None:
        """Close the underlying session and its pooled connections, and cancel the deadline."""
        if self._timer is not None:
            self._timer.cancel()
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- policy --------------------------------------------------------------
    def host_allowed(self, url: str) -> bool:
        """True if ``url``'s host (and port) is in ``allowed_hosts`` (or no list is set)."""
        if self.allowed_hosts is None:
            return True
        scheme, host, port = _host_port(url)
        if not host:
            return False
        if f"{host}:{port}" in self.allowed_hosts:
            return True
        # A bare host name allows that host on the scheme's default port only.
        return host in self.allowed_hosts and port == _DEFAULT_PORTS.get(scheme)

    def _check_url(self, url: str, *, first: bool) -> None:
        scheme, host, _ = _host_port(url)
        if scheme not in ("http", "https"):
            raise RedirectRefused(f"Refused to fetch a non-HTTP address ({scheme or 'no scheme'}).", url=url)
        if not self.host_allowed(url):
            if first:
                raise RedirectRefused(f"Host {host!r} is not an allowed host for this portal.", url=url)
            raise RedirectRefused(f"Refused redirect to host {host!r}, which is not this portal's.", url=url)

    # -- core GET -----------------------------------------------------------------
    def get(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        accept: str = "application/json",
        max_bytes: int | None = None,
    ) -> FetchedResponse:
        """GET ``url`` following redirects by hand; return the capped body.

        Raises:
            SourceError: any subclass; non-2xx final status raises :class:`HttpStatusError`.
        """
        cap = self.config.max_bytes if max_bytes is None else max_bytes
        started = time.monotonic()
        self._check_url(url, first=True)
        current = requests.Request("GET", url, params=dict(params or {})).prepare().url or url
        visited: list[str] = [current]
        for _hop in range(self.config.max_redirects + 1):
            resp = self._send(current, accept)
            try:
                if resp.status_code in REDIRECT_STATUSES:
                    location = resp.headers.get("Location")
                    if not location:
                        raise HttpStatusError(
                            resp.status_code, f"Redirect ({resp.status_code}) without a Location header.", url=current
                        )
                    target = urljoin(current, location)
                    old_scheme = urlsplit(current).scheme.lower()
                    new_scheme = urlsplit(target).scheme.lower()
                    if new_scheme != old_scheme:
                        raise RedirectRefused(
                            f"Refused redirect from {old_scheme} to {new_scheme or 'no scheme'} ({target}).",
                            url=target,
                        )
                    self._check_url(target, first=False)
                    if target in visited:
                        raise RedirectLoop(f"Redirect loop detected after {len(visited)} hop(s).", url=target)
                    visited.append(target)
                    current = target
                    continue
                body = self._read_capped(resp, cap, current)
            finally:
                resp.close()
            if not 200 <= resp.status_code < 300:
                detail = _error_message_from_body(body)
                reason = resp.reason or "error"
                msg = f"The portal answered HTTP {resp.status_code} ({reason})."
                if detail:
                    msg += f" {detail}"
                raise HttpStatusError(resp.status_code, msg, url=current)
            return FetchedResponse(
                url=current,
                status=resp.status_code,
                headers=dict(resp.headers),
                content=body,
                elapsed_s=time.monotonic() - started,
                redirects=visited[1:],
            )
        raise TooManyRedirects(f"More than {self.config.max_redirects} redirects.", url=current)

    def _send(self, url: str, accept: str) -> requests.Response:
        left = self.remaining()
        if self.expired() or (left is not None and left <= 0):
            raise self._deadline_error(url)
        connect, read = self.config.connect_timeout, self.config.read_timeout
        if left is not None:
            connect, read = min(connect, left), min(read, left)
        try:
            return self.session.get(
                url,
                headers={"Accept": accept},
                timeout=(connect, read),
                allow_redirects=False,
                stream=True,
            )
        except requests.exceptions.RequestException as exc:
            if self.expired():
                raise self._deadline_error(url) from exc
            raise self._send_error(exc, url) from exc

    @staticmethod
    def _send_error(exc: requests.exceptions.RequestException, url: str) -> SourceError:
        """The typed error of a failed request."""
        if isinstance(exc, requests.exceptions.Timeout):
            return SourceTimeout("The portal did not answer in time.", url=url)
        if isinstance(exc, requests.exceptions.RetryError):  # only if raise_on_status were True
            return SourceError("The portal kept failing after retries.", url=url, code="retries_exhausted")
        if isinstance(exc, requests.exceptions.ConnectionError):
            if isinstance(exc.args[0] if exc.args else None, ReadTimeoutError) or "timed out" in str(exc).lower():
                return SourceTimeout("The portal did not answer in time.", url=url)
            return ConnectFailed("Could not connect to the portal.", url=url)
        return SourceError(f"Request failed: {type(exc).__name__}.", url=url, code="request_failed")

    def _read_capped(self, resp: requests.Response, cap: int, url: str) -> bytes:
        declared_raw = resp.headers.get("Content-Length")
        declared: int | None = None
        if declared_raw is not None:
            try:
                declared = int(declared_raw)
            except ValueError:
                declared = None
        if declared is not None and declared > cap:
            raise BodyTooLarge(f"Response is {declared} bytes, over the {cap}-byte limit.", url=url)
        chunks: list[bytes] = []
        total = 0
        try:
            for chunk in resp.iter_content(self.config.chunk_size):
                total += len(chunk)
                if total > cap:
                    raise BodyTooLarge(f"Response exceeded the {cap}-byte limit.", url=url)
                chunks.append(chunk)
                if self.expired():
                    raise self._deadline_error(url)
        except (requests.exceptions.RequestException, ProtocolError, OSError) as exc:
            if self.expired():
                raise self._deadline_error(url) from exc
            raise self._read_error(exc, url) from exc
        body = b"".join(chunks)
        encoded = resp.headers.get("Content-Encoding", "identity").lower() not in ("", "identity")
        if self.expired():
            raise self._deadline_error(url)
        if declared is not None and not encoded and len(body) != declared:
            raise TruncatedBody(f"Received {len(body)} of {declared} announced bytes.", url=url)
        return body

    @staticmethod
    def _read_error(exc: BaseException, url: str) -> SourceError:
        """The typed error of a body that could not be read to its end."""
        if isinstance(exc, (requests.exceptions.ChunkedEncodingError, ProtocolError)):
            return TruncatedBody("The response was cut off before its end.", url=url)
        if "timed out" in str(exc).lower():
            return SourceTimeout("The portal stopped sending data (read timeout).", url=url)
        return TruncatedBody("The connection dropped while reading the response.", url=url)

    # -- JSON -----------------------------------------------------------------------
    def get_json(self, url: str, params: Mapping[str, Any] | None = None, *, max_bytes: int | None = None) -> Any:
        """GET and decode a JSON document, enforcing a JSON ``Content-Type``."""
        resp = self.get(url, params, accept="application/json", max_bytes=max_bytes)
        return decode_json(resp)


def decode_json(resp: FetchedResponse) -> Any:
    """Decode ``resp`` as JSON; HTML or non-JSON media types are typed errors."""
    ctype = resp.content_type
    if _looks_like_html(ctype, resp.content):
        raise HtmlInsteadOfJson(
            "The portal sent a web page (HTML) instead of JSON data; the API may have moved or be down.",
            url=resp.url,
        )
    if "json" not in ctype:
        raise BadContentType(f"Expected JSON but the portal sent {ctype or 'no content type'}.", url=resp.url)
    try:
        return json.loads(resp.content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadJson(f"The portal sent malformed JSON ({exc.__class__.__name__}).", url=resp.url) from exc


# --------------------------------------------------------------------------- shape helpers
_TYPE_NAMES = {int: "an integer", str: "a string", list: "a list", dict: "an object", bool: "a boolean"}


def expect_type(value: Any, typ: type | tuple[type, ...], where: str, *, url: str | None = None) -> Any:
    """Return ``value`` if it is an instance of ``typ`` (``bool`` never counts as ``int``)."""
    types = typ if isinstance(typ, tuple) else (typ,)
    ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
    if not ok:
        wanted = " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)
        raise BadShape(f"Unexpected response: {where} should be {wanted}, got {type(value).__name__}.", url=url)
    return value


def require(data: Any, path: str, typ: type | tuple[type, ...] | None = None, *, url: str | None = None) -> Any:
    """Walk a dotted ``path`` (``"result.count"``) in nested dicts and type-check the leaf.

    Raises:
        BadShape: a key is missing or the leaf has the wrong type.
    """
    cur = data
    walked: list[str] = []
    for key in path.split("."):
        walked.append(key)
        if not isinstance(cur, dict) or key not in cur:
            raise BadShape(f"Unexpected response: missing '{'.'.join(walked)}'.", url=url)
        cur = cur[key]
    if typ is not None:
        expect_type(cur, typ, f"'{path}'", url=url)
    return cur
