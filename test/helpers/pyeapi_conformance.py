#!/usr/bin/python3
"""Drives Arista's pyeapi against an eAPI server and prints one JSON document.

Used by test/conformance/pyeapi.test.ts to prove the EOS simulator answers eAPI the way real
devices do: if pyeapi rejects the simulator, the simulator is wrong.

Usage: pyeapi_conformance.py --host H --port P --transport https|http [--user U] [--password PW]
Output: {"ok": true, "steps": {...}} or {"ok": false, "step": name, "error": "...", "steps": {...}}
"""
import argparse
import json
import sys
import warnings

warnings.simplefilter("ignore")

import pyeapi  # noqa: E402
from pyeapi.eapilib import CommandError, ConnectionError  # noqa: E402


def command_error(fn):
    """Runs fn expecting pyeapi's CommandError; returns what a caller sees of it."""
    try:
        fn()
    except CommandError as exc:
        return {"raised": "CommandError", "code": exc.error_code, "text": exc.error_text,
                "command_error": exc.command_error, "message": str(exc)}
    return {"raised": None}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--transport", default="https")
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="admin")
    args = parser.parse_args()

    steps = {}
    current = "connect"
    try:
        node = pyeapi.connect(transport=args.transport, host=args.host, port=args.port,
                              username=args.user, password=args.password, return_node=True, timeout=30)
        steps["connect"] = {"version": node.version, "version_number": node.version_number, "model": node.model}

        current = "enable"
        out = node.enable(["show version", "show hostname"])
        steps["enable"] = {
            "modelName": out[0]["result"]["modelName"],
            "serialNumber": out[0]["result"]["serialNumber"],
            "hostname": out[1]["result"]["hostname"],
            "encodings": [o["encoding"] for o in out],
        }

        current = "run_commands"
        json_out = node.run_commands(["show interfaces status", "show ip ospf neighbor"])
        text_out = node.run_commands(["show version"], encoding="text")
        steps["run_commands"] = {
            "interfaces": sorted(json_out[0]["interfaceStatuses"].keys()),
            "ospf_instances": sorted(json_out[1]["vrfs"]["default"]["instList"].keys()),
            "text_first_line": text_out[0]["output"].splitlines()[0],
        }

        current = "config"
        node.config(["ntp server 10.0.0.99", "interface Ethernet1", "description pyeapi-was-here"])
        running = node.get_config(as_string=True)
        steps["config"] = {
            "ntp": "ntp server 10.0.0.99" in running,
            "description": "description pyeapi-was-here" in running,
            "section": node.section(r"interface Ethernet1"),
        }

        current = "session"
        node.configure_session()
        session_name = str(node._session_name)
        node.config(["hostname pyeapi-session", "interface Ethernet2", "description staged"])
        session_diff = node.diff()
        before_commit = node.get_config(as_string=True)
        sessions = node.enable("show configuration sessions")[0]["result"]
        node.commit()
        after_commit = node.get_config(as_string=True)
        steps["session"] = {
            "diff": session_diff,
            "pending_listed": sessions["sessions"].get(session_name, {}).get("state"),
            "hostname_before_commit": "hostname pyeapi-session" in before_commit,
            "hostname_after_commit": "hostname pyeapi-session" in after_commit,
        }

        current = "session_abort"
        node.configure_session()
        aborted_name = str(node._session_name)
        node.config(["hostname never-committed"])
        node.abort()
        node._session_name = None
        left = node.enable("show configuration sessions")[0]["result"]["sessions"]
        steps["session_abort"] = {
            "left": aborted_name in left,
            "running_unchanged": "never-committed" not in node.get_config(as_string=True),
        }

        current = "session_via_run_commands"
        node.run_commands(["configure session rc1", "interface Ethernet2", "description via-run-commands", "end"])
        rc_diff = node.run_commands(["show session-config named rc1 diffs"], encoding="text")[0]["output"]
        node.run_commands(["configure session rc1 commit timer 00:10:00"])
        timer_state = node.enable("show configuration sessions")[0]["result"]["sessions"]["rc1"]["state"]
        node.run_commands(["configure session rc1 commit"])
        confirmed_state = node.enable("show configuration sessions")[0]["result"]["sessions"]["rc1"]["state"]
        steps["session_via_run_commands"] = {"diff": rc_diff, "timer_state": timer_state, "confirmed_state": confirmed_state}

        current = "unconverted"
        # A text-only command answers 1003 in JSON; enable() then retries it in text.
        diff = node.enable("show session-config named rc1 diffs")
        steps["unconverted"] = {"encoding": diff[0]["encoding"], "result": diff[0]["result"]}

        current = "errors"
        steps["errors"] = {
            "bad_show": command_error(lambda: node.run_commands(["show version", "show bogus"])),
            "bad_show_text": command_error(lambda: node.run_commands(["show bogus"], encoding="text")),
            "bad_config": command_error(lambda: node.config(["interface Ethernet1", "frobnicate now"])),
            "abbreviation_without_autocomplete": command_error(lambda: node.run_commands(["sh ver"])),
        }
        steps["autocomplete"] = {
            "modelName": node.run_commands(["sh ver"], autoComplete=True)[0]["modelName"],
        }

        current = "bad_login"
        bad = pyeapi.connect(transport=args.transport, host=args.host, port=args.port,
                             username=args.user, password="wrong-" + args.password, return_node=True, timeout=30)
        try:
            bad.enable("show version")
            steps["bad_login"] = {"raised": None}
        except ConnectionError as exc:
            steps["bad_login"] = {"raised": "ConnectionError", "message": str(exc.message)}

        print(json.dumps({"ok": True, "steps": steps}))
    except Exception as exc:  # noqa: BLE001 - the report says which step failed and how
        print(json.dumps({"ok": False, "step": current, "error": "%s: %s" % (type(exc).__name__, exc), "steps": steps}))
        sys.exit(1)


if __name__ == "__main__":
    main()
