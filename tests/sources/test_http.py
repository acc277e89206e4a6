"""HttpClient against real loopback servers: retries, timeouts, caps, content types, redirects."""

from __future__ import annotations

import dataclasses
import time

import pytest

from opengov.sources import http as h
from tests.sources.conftest import FAST, Reply


def test_get_json_happy_path(server, make_client):
    server.add("/ok", Reply(body={"a": 1}, content_type="application/json; charset=utf-8"))
    client = make_client([server.host])
    assert client.get_json(server.base + "/ok") == {"a": 1}


@pytest.mark.parametrize("status", [500, 502, 503])
def test_transient_5xx_retried_then_succeeds(server, make_client, status):
    server.add("/flaky", Reply(status, {"error": "boom"}), Reply(status, "x", "text/plain"), Reply(body={"ok": True}))
    assert make_client([server.host]).get_json(server.base + "/flaky") == {"ok": True}
    assert server.count("/flaky") == 3


def test_persistent_503_raises_http_503_after_retries(server, make_client):
    server.add("/down", Reply(503, "<html>down</html>", "text/html"))
    with pytest.raises(h.HttpStatusError) as ei:
        make_client([server.host]).get_json(server.base + "/down")
    assert ei.value.code == "http_503"
    assert server.count("/down") == FAST.total_retries + 1


def test_404_not_retried_and_message_from_json_body(server, make_client):
    server.add(
        "/nf", Reply(404, {"error_code": "NotFoundResource", "message": "The requested dataset does not exist."})
    )
    with pytest.raises(h.HttpStatusError) as ei:
        make_client([server.host]).get_json(server.base + "/nf")
    assert ei.value.code == "http_404"
    assert "does not exist" in ei.value.message
    assert server.count("/nf") == 1


def test_429_retry_after_is_honoured(server, make_client):
    server.add("/rl", Reply(429, {"error": "slow down"}, headers={"Retry-After": "1"}), Reply(body={"ok": 1}))
    t0 = time.monotonic()
    assert make_client([server.host]).get_json(server.base + "/rl") == {"ok": 1}
    waited = time.monotonic() - t0
    assert waited >= 1.0
    first, second = [t for t, p, _ in server.hits if p == "/rl"]
    assert second - first >= 1.0


def test_retry_after_is_capped(server, make_client):
    cfg = dataclasses.replace(FAST, retry_after_cap=0.3)
    server.add("/rl", Reply(429, {}, headers={"Retry-After": "120"}), Reply(body={"ok": 1}))
    t0 = time.monotonic()
    assert make_client([server.host], cfg).get_json(server.base + "/rl") == {"ok": 1}
    assert 0.3 <= time.monotonic() - t0 < 2.0


def test_read_timeout(server, make_client):
    cfg = dataclasses.replace(FAST, read_timeout=0.2, total_retries=1)
    server.add("/slow", Reply(body={"late": True}, delay=1.0))
    t0 = time.monotonic()
    with pytest.raises(h.SourceTimeout) as ei:
        make_client([server.host], cfg).get_json(server.base + "/slow")
    assert ei.value.code == "timeout"
    assert time.monotonic() - t0 < 3.0


def test_connection_refused(make_client):
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    cfg = dataclasses.replace(FAST, total_retries=0)
    with pytest.raises(h.ConnectFailed) as ei:
        make_client([f"127.0.0.1:{port}"], cfg).get_json(f"http://127.0.0.1:{port}/x")
    assert ei.value.code == "connection_failed"


def test_malformed_json(server, make_client):
    server.add("/bad", Reply(body=b'{"result": {"count": 12', content_type="application/json"))
    with pytest.raises(h.BadJson) as ei:
        make_client([server.host]).get_json(server.base + "/bad")
    assert ei.value.code == "bad_json"


def test_html_error_page_with_200(server, make_client):
    server.add("/maint", Reply(body="<!DOCTYPE html><html><body>Maintenance</body></html>", content_type="text/html"))
    with pytest.raises(h.HtmlInsteadOfJson) as ei:
        make_client([server.host]).get_json(server.base + "/maint")
    assert ei.value.code == "html_instead_of_json"
    assert "HTML" in ei.value.message


def test_html_served_as_json_content_type_is_detected(server, make_client):
    server.add("/liar", Reply(body="<html><body>login</body></html>", content_type="application/json"))
    with pytest.raises(h.HtmlInsteadOfJson):
        make_client([server.host]).get_json(server.base + "/liar")


def test_non_json_content_type_refused(server, make_client):
    server.add("/txt", Reply(body='{"a": 1}', content_type="text/plain"))
    with pytest.raises(h.BadContentType) as ei:
        make_client([server.host]).get_json(server.base + "/txt")
    assert ei.value.code == "bad_content_type"


def test_truncated_body_content_length_mismatch(server, make_client):
    server.add("/cut", Reply(body=b'{"result": {"count": 1', declared_length=5000))
    with pytest.raises(h.TruncatedBody) as ei:
        make_client([server.host]).get(server.base + "/cut")
    assert ei.value.code == "truncated"


def test_oversized_body_by_declared_length(server, make_client):
    cfg = dataclasses.replace(FAST, max_bytes=1024)
    server.add("/big", Reply(body=b"[" + b"1," * 5000 + b"1]"))
    with pytest.raises(h.BodyTooLarge) as ei:
        make_client([server.host], cfg).get_json(server.base + "/big")
    assert ei.value.code == "body_too_large"


def test_oversized_body_streamed_without_length(server, make_client):
    cfg = dataclasses.replace(FAST, max_bytes=64 * 1024)
    server.add("/stream", Reply(body=b"x" * (1024 * 1024), no_length=True))
    with pytest.raises(h.BodyTooLarge):
        make_client([server.host], cfg).get(server.base + "/stream")


def test_redirect_within_allowed_host_is_followed(server, make_client):
    server.add("/old", Reply(301, "", headers={"Location": "/new"}))
    server.add("/new", Reply(body={"moved": True}))
    assert make_client([server.host]).get_json(server.base + "/old") == {"moved": True}


def test_redirect_loop(server, make_client):
    server.add("/a", Reply(302, "", headers={"Location": "/b"}))
    server.add("/b", Reply(302, "", headers={"Location": "/a"}))
    with pytest.raises(h.RedirectLoop) as ei:
        make_client([server.host]).get(server.base + "/a")
    assert ei.value.code == "redirect_loop"


def test_too_many_redirects(server, make_client):
    server.add_handler(
        "/hop", lambda p, q: Reply(302, "", headers={"Location": f"/hop?n={int(q.get('n', ['0'])[0]) + 1}"})
    )
    with pytest.raises(h.TooManyRedirects):
        make_client([server.host]).get(server.base + "/hop")


def test_redirect_to_another_host_refused(server, other_server, make_client):
    other_server.add("/x", Reply(body={"evil": True}))
    server.add("/go", Reply(302, "", headers={"Location": other_server.base + "/x"}))
    with pytest.raises(h.RedirectRefused) as ei:
        make_client([server.host]).get_json(server.base + "/go")
    assert ei.value.code == "redirect_refused"
    assert other_server.count("/x") == 0


def test_redirect_to_localhost_name_refused(server, make_client):
    server.add("/go", Reply(302, "", headers={"Location": f"http://localhost:{server.port}/x"}))
    with pytest.raises(h.RedirectRefused):
        make_client([server.host]).get(server.base + "/go")


@pytest.mark.parametrize(
    "target", ["ftp://127.0.0.1/{port}/file.json", "https://127.0.0.1:{port}/x", "file:///etc/passwd"]
)
def test_any_scheme_change_refused(server, make_client, target):
    # The spec's base is http://; any other scheme in Location must be refused
    # (the same rule refuses https -> http for real portals).
    server.add("/go", Reply(302, "", headers={"Location": target.format(port=server.port)}))
    with pytest.raises(h.RedirectRefused) as ei:
        make_client([server.host]).get(server.base + "/go")
    assert "Refused redirect" in ei.value.message


def test_initial_url_outside_allowed_hosts_refused(server, make_client):
    server.add("/x", Reply(body={}))
    with pytest.raises(h.RedirectRefused):
        make_client(["open.canada.ca"]).get(server.base + "/x")
    assert server.count("/x") == 0


def test_require_and_expect_type():
    data = {"result": {"count": 3, "flag": True}}
    assert h.require(data, "result.count", int) == 3
    with pytest.raises(h.BadShape, match="missing 'result.total'"):
        h.require(data, "result.total", int)
    with pytest.raises(h.BadShape, match="should be an integer"):
        h.require(data, "result.flag", int)
