"""service.middleware.log_buffer: the access log's lines written in batches, none lost or doubled."""

from __future__ import annotations

import io
import logging
import time

import pytest

from rlskg.service.middleware.log_buffer import BufferedStreamHandler


def _logger(handler: logging.Handler) -> logging.Logger:
    logger = logging.getLogger(f"test.log_buffer.{id(handler)}")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def test_lines_wait_in_memory_then_are_written_in_order() -> None:
    stream = io.StringIO()
    logger = _logger(BufferedStreamHandler(stream, interval=0.2))
    for n in range(100):
        logger.info("line %d", n)
    assert stream.getvalue() == ""  # not one write per line
    deadline = time.monotonic() + 5
    while stream.getvalue().count("\n") < 100 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert stream.getvalue() == "".join(f"line {n}\n" for n in range(100))


def test_a_full_buffer_is_written_before_the_interval() -> None:
    stream = io.StringIO()
    logger = _logger(BufferedStreamHandler(stream, interval=60, max_bytes=1000))
    for n in range(200):
        logger.info("%04d", n)
    deadline = time.monotonic() + 5
    while not stream.getvalue() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert stream.getvalue().startswith("0000\n0001\n")


def test_flush_writes_what_waits_at_once() -> None:
    stream = io.StringIO()
    handler = BufferedStreamHandler(stream, interval=60)
    logger = _logger(handler)
    logger.info("last words")
    handler.flush()
    assert stream.getvalue() == "last words\n"


def test_the_observer_writes_to_the_default_handler_without_a_record() -> None:
    from rlskg.service import create_app

    app = create_app({"DATA": [], "POOL_SIZE": 0, "ACCESS_LOG": True})
    logger = logging.getLogger("rlskg.access")
    saved = logger.handlers[:]
    stream = io.StringIO()
    handler = BufferedStreamHandler(stream, interval=60)
    logger.handlers[:] = [handler]
    try:
        app.test_client().get("/sparql", query_string={"query": "ASK {}"})
        handler.flush()
    finally:
        logger.handlers[:] = saved
    assert '"route":"/sparql"' in stream.getvalue() and stream.getvalue().count("\n") == 1


def test_a_failed_write_is_reported_not_raised(capsys: pytest.CaptureFixture[str]) -> None:
    class FullDisk(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    handler = BufferedStreamHandler(FullDisk())
    handler.write_line('{"status": 200}')
    handler.flush()  # does not raise
    assert "No space left on device" in capsys.readouterr().err
