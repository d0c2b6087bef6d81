#!/usr/bin/python3
"""Drives Juniper PyEZ (jnpr.junos) against a NETCONF server and prints one JSON document.

Used by test/conformance/pyez.test.ts to prove the Junos simulator speaks NETCONF the way
real devices do: if PyEZ rejects the simulator, the simulator is wrong.

Usage: pyez_conformance.py --host H --port P [--user U] [--password PW]
Output: {"ok": true, "steps": {...}} or {"ok": false, "step": name, "error": "...", "steps": {...}}
"""
import argparse
import contextlib
import io
import json
import sys
import warnings

warnings.simplefilter("ignore")

from jnpr.junos import Device  # noqa: E402
from jnpr.junos.exception import CommitError, ConfigLoadError, LockError  # noqa: E402
from jnpr.junos.utils.config import Config  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="admin@123")
    args = parser.parse_args()

    steps = {}
    current = "open"
    try:
        dev = Device(host=args.host, port=args.port, user=args.user, passwd=args.password)
        dev.open()
        steps["open"] = {"connected": dev.connected}

        current = "facts"
        facts = {}
        for key in ("hostname", "model", "version", "serialnumber", "personality", "virtual", "master",
                    "current_re", "switch_style", "vc_capable", "srx_cluster", "HOME", "fqdn", "2RE"):
            value = dev.facts[key]
            facts[key] = value if isinstance(value, (str, int, bool, list, type(None))) else str(value)
        facts["RE0_model"] = (dev.facts["RE0"] or {}).get("model")
        facts["uptime"] = dev.uptime
        steps["facts"] = facts

        current = "cli"
        steps["cli"] = {
            "show_version": dev.cli("show version", warning=False),
            "bad_command": dev.cli("show flux capacitor", warning=False),
            "rpc_host_name": dev.rpc.get_software_information().findtext("host-name"),
        }

        cu = Config(dev)

        current = "merge"
        cu.lock()
        cu.load("snmp { location pyez-merge; }", format="text", merge=True)
        merge_diff = cu.diff()
        check = cu.commit_check()
        committed = cu.commit(comment="pyez merge")
        cu.unlock()
        steps["merge"] = {"diff": merge_diff, "check": check, "commit": committed}

        current = "override"
        running = dev.rpc.get_config(options={"format": "text", "database": "committed"})
        text = running.text if running.tag == "configuration-text" else running.findtext(".//configuration-text")
        cu.load(text.replace("location pyez-merge;", "location pyez-override;"), format="text", overwrite=True)
        override_diff = cu.diff()
        cu.commit(comment="pyez override")
        steps["override"] = {"diff": override_diff, "running_has_text": "location pyez-override;" in text.replace("merge", "override")}

        current = "set"
        cu.load("set system domain-name pyez.example\ndelete snmp location", format="set")
        set_diff = cu.diff()
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            cu.pdiff()
        cu.commit(comment="pyez set")
        steps["set"] = {"diff": set_diff, "pdiff": buf.getvalue(), "empty_diff_after_commit": cu.diff()}

        current = "confirmed"
        cu.load("set snmp location confirm-me", format="set")
        cu.commit(confirm=1, comment="pyez confirmed")
        history = dev.rpc.get_commit_information()
        pending_comment = history.findtext("commit-history/comment")
        cu.commit(comment="pyez confirm")
        steps["confirmed"] = {"pending_comment": pending_comment}

        current = "rollback"
        cu.load("set snmp location rollback-me", format="set")
        cu.commit(comment="pyez before rollback")
        cu.rollback(1)
        rollback_diff = cu.diff()
        cu.commit(comment="pyez rollback")
        steps["rollback"] = {"diff": rollback_diff}

        current = "load_error"
        try:
            cu.load("system1 { host-name x; }", format="text")
            steps["load_error"] = {"raised": None}
        except ConfigLoadError as err:
            steps["load_error"] = {"raised": type(err).__name__, "message": err.message,
                                   "bad_element": err.rpc_error["bad_element"]}
        cu.rollback(0)

        current = "unknown_statement"
        try:
            cu.load("system { host-name pyez-r1; invalid-statement-xyz; }", format="text", merge=True)
            steps["unknown_statement"] = {"raised": None, "diff": cu.diff()}
        except ConfigLoadError as err:
            steps["unknown_statement"] = {"raised": type(err).__name__, "message": err.message,
                                          "bad_element": err.rpc_error["bad_element"],
                                          "edit_path": err.rpc_error["edit_path"]}
        cu.rollback(0)

        current = "missing_value"
        try:
            cu.load("set system host-name", format="set")
            steps["missing_value"] = {"raised": None, "diff": cu.diff()}
        except ConfigLoadError as err:
            steps["missing_value"] = {"raised": type(err).__name__, "message": err.message,
                                      "bad_element": err.rpc_error["bad_element"]}
        cu.rollback(0)

        current = "commit_error"
        cu.load("set protocols ospf area 0.0.0.0 interface ge-0/0/9.0", format="set")
        try:
            cu.commit_check()
            steps["commit_error"] = {"raised": None}
        except CommitError as err:
            steps["commit_error"] = {"raised": type(err).__name__, "edit_path": err.rpc_error["edit_path"],
                                     "bad_element": err.rpc_error["bad_element"]}
        cu.rollback(0)

        current = "private"
        with Config(dev, mode="private") as pcu:
            pcu.load("set snmp location private-pyez", format="set")
            private_diff = pcu.diff()
            pcu.commit(comment="pyez private")
        steps["private"] = {"diff": private_diff}

        current = "exclusive_conflict"
        other = Device(host=args.host, port=args.port, user=args.user, passwd=args.password, gather_facts=False)
        other.open()
        ocu = Config(other)
        ocu.lock()
        try:
            cu.lock()
            steps["exclusive_conflict"] = {"raised": None}
        except LockError as err:
            steps["exclusive_conflict"] = {"raised": type(err).__name__, "message": err.message}
        ocu.unlock()
        other.close()

        current = "close"
        dev.close()
        steps["close"] = {"connected": dev.connected}
        print(json.dumps({"ok": True, "steps": steps}))
    except Exception as err:  # report every failure as data for the test to show
        print(json.dumps({"ok": False, "step": current, "error": "%s: %s" % (type(err).__name__, err), "steps": steps}))
        sys.exit(1)


if __name__ == "__main__":
    main()
