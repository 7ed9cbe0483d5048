import io
import logging
import sys

from sitegen import console


def test_log_messages_follow_sys_stderr_after_it_is_replaced(monkeypatch) -> None:
    """The CLI runs in-process many times in tests, each with its own stderr."""
    first, second = io.StringIO(), io.StringIO()
    monkeypatch.setattr(sys, "stderr", first)
    console.set_level(1)
    logging.getLogger("sitegen.test").warning("one")
    first.close()
    monkeypatch.setattr(sys, "stderr", second)
    logging.getLogger("sitegen.test").warning("two")
    assert second.getvalue() == "two\n"


def test_quiet_hides_normal_output_but_not_warnings(capsys) -> None:
    console.set_level(-1)
    console.say("hello")
    console.warn("careful")
    out, err = capsys.readouterr()
    assert out == ""
    assert "warning: careful" in err
    console.set_level(0)
