#!/usr/bin/python3
"""tools/proc_snapshot.py against a captured console (no QEMU).

test/tools/console_capture.txt is a real session of the shell, as
proc_snapshot.py's snapshot.log keeps it (each command after the prompt,
then its output, CR LF on the wire). A replaying console answers each
typed line with the output the board gave to the same command, in the
byte form the wire had (echo, CR LF, the next prompt), and the tool's walk
of /sys must write exactly the files the capture shows, with their bytes;
a file that vanished between ls and cat (the board's "cat: ...: No such
file or directory") is left out and counted; /proc/self becomes a symlink
to the shell's pid directory; run_cmd strips the echo and the CR LFs.

Run: /usr/bin/python3 -m unittest tools/test_proc_snapshot.py (from the
repository root); --tap prints TAP for make test.
"""
import os
import re
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import tap_unittest  # noqa: E402
import pagoda_console  # noqa: E402
import proc_snapshot  # noqa: E402

CAPTURE = os.path.join(HERE, "..", "test", "tools", "console_capture.txt")
PROMPT = pagoda_console.PROMPT


def parse_capture(path):
    """{command line: its output bytes (LF line ends)} from a captured session."""
    raw = open(path, "rb").read().replace(b"\r\n", b"\n")
    answers = {}
    for chunk in raw.split(PROMPT)[1:]:
        line, _, out = chunk.partition(b"\n")
        answers.setdefault(line.decode(), out)
    return answers


class ReplayConsole(pagoda_console.Console):
    """A console whose board is the capture: typed lines get their recorded answers."""

    def __init__(self, answers, overrides=None):  # pylint: disable=super-init-not-called
        self.answers = dict(answers)
        self.answers.update(overrides or {})
        self.buf, self.echo, self.log, self.received, self.p = PROMPT, None, None, 0, None
        self.typed = []

    def _read(self, timeout):
        return False  # everything the board says is already in buf

    def send(self, data):
        line = (data.decode() if isinstance(data, bytes) else data).rstrip("\r")
        self.typed.append(line)
        out = self.answers.get(line, f"sh: {line.split()[0]}: command not found\n".encode())
        self.buf += line.encode() + b"\r\n" + out.replace(b"\n", b"\r\n") + PROMPT

    def kill(self):
        pass


class Walk(unittest.TestCase):
    def setUp(self):
        self.answers = parse_capture(CAPTURE)
        self.tmp = tempfile.TemporaryDirectory()
        self.out = self.tmp.name
        self.counts = {"files": 0, "missing": 0}

    def tearDown(self):
        self.tmp.cleanup()

    def captured_files(self, top):
        """The files of the capture under top: every `cat PATH` that printed its content."""
        return {line[4:]: out for line, out in self.answers.items()
                if line.startswith("cat " + top + "/") and not out.startswith(b"cat: ")}

    def test_sys_tree_written_as_captured(self):
        con = ReplayConsole(self.answers)
        con.prompt(1)
        proc_snapshot.walk(con, self.out, "/sys", 1, self.counts)
        want = self.captured_files("/sys")
        self.assertGreater(len(want), 5)
        got = {}
        for root, _, files in os.walk(self.out + "/sys"):
            for f in files:
                p = os.path.join(root, f)
                got[p[len(self.out):]] = open(p, "rb").read()
        self.assertEqual(sorted(got), sorted(want))
        for path, data in want.items():
            self.assertEqual(got[path], data, path)
        self.assertEqual(self.counts, {"files": len(want), "missing": 0})
        # only ls -l of directories and cat of readable files were typed
        self.assertTrue(all(re.match(r"(ls -l|cat) /sys", t) for t in con.typed), con.typed)

    def test_vanished_file_left_out(self):
        gone = sorted(self.captured_files("/sys"))[0]
        con = ReplayConsole(self.answers, {"cat " + gone: f"cat: {gone}: No such file or directory\n".encode()})
        con.prompt(1)
        proc_snapshot.walk(con, self.out, "/sys", 1, self.counts)
        self.assertFalse(os.path.exists(self.out + gone))
        self.assertEqual(self.counts["missing"], 1)

    def test_proc_self_is_a_symlink_to_pid_0(self):
        con = ReplayConsole(self.answers)
        con.prompt(1)
        self.assertIn("ls -l /proc", self.answers)
        listing = proc_snapshot.list_dir(con, "/proc", 1)
        self.assertIn(("self", True, True), listing)
        os.makedirs(self.out + "/proc")
        con.answers = {k: v for k, v in self.answers.items() if k == "ls -l /proc" or k.startswith("ls -l /proc/0")
                       or k.startswith("cat /proc/0/")}
        con.answers["ls -l /proc"] = b"".join(l + b"\n" for l in self.answers["ls -l /proc"].splitlines()
                                              if l.endswith(b" self") or l.endswith(b" 0"))
        proc_snapshot.walk(con, self.out, "/proc", 1, self.counts)
        self.assertEqual(os.readlink(self.out + "/proc/self"), "0")
        self.assertTrue(os.path.exists(self.out + "/proc/0/status"))

    def test_run_cmd_strips_echo_and_crlf(self):
        con = ReplayConsole({"free": b"              total\nMem:  1\n"})
        con.prompt(1)
        self.assertEqual(proc_snapshot.run_cmd(con, "free", 1), b"              total\nMem:  1\n")


if __name__ == "__main__":
    tap_unittest.main("proc_snapshot")
