#!/usr/bin/python3
"""Drives netmiko (Debian python3-netmiko) against a Cisco CLI over SSH and prints one JSON document.

Used by test/conformance/netmiko.test.ts to prove the IOS-XR and IOS simulators hold the dialogue
real devices hold: if netmiko's cisco_xr or cisco_ios driver cannot work with a simulator, the
simulator is wrong.

Usage: netmiko_conformance.py --device-type cisco_xr|cisco_ios --host H --port P --user U --password PW [--secret S]
Output: {"ok": true, "steps": {...}} or {"ok": false, "step": name, "error": "...", "steps": {...}}
"""
import argparse
import json
import logging
import sys
import warnings

warnings.simplefilter("ignore")
logging.disable(logging.CRITICAL)

from netmiko import ConnectHandler  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device-type", required=True)
    parser.add_argument("--host", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--secret", default="")
    parser.add_argument("--interface", required=True)
    args = parser.parse_args()
    xr = args.device_type == "cisco_xr"

    steps = {}
    current = "connect"
    try:
        conn = ConnectHandler(device_type=args.device_type, host=args.host, port=args.port,
                              username=args.user, password=args.password, secret=args.secret,
                              timeout=30, banner_timeout=30, auth_timeout=30)
        steps["connect"] = {"prompt": conn.find_prompt(), "base_prompt": conn.base_prompt}

        if not xr:
            current = "enable"
            conn.enable()
            steps["enable"] = {"prompt": conn.find_prompt(), "enable_mode": conn.check_enable_mode()}

        current = "send_command"
        steps["show_version"] = conn.send_command("show version")
        steps["show_ip_interface_brief"] = conn.send_command("show ip interface brief")
        steps["abbreviated"] = conn.send_command("sh ip int br | include Loopback")
        steps["invalid"] = conn.send_command("show bogus-command")

        current = "send_config_set"
        steps["config_set"] = conn.send_config_set([
            "interface " + args.interface,
            " description set by netmiko",
        ])
        if xr:
            current = "commit"
            steps["commit"] = conn.commit()
            current = "commit_confirmed"
            conn.send_config_set(["interface " + args.interface, " description confirmed by netmiko"])
            steps["commit_confirmed"] = conn.commit(confirm=True, confirm_delay=120)
            steps["commit_confirm"] = conn.commit()
            current = "exit_config_mode"
            conn.exit_config_mode()
        steps["config_mode_after"] = conn.check_config_mode()

        current = "verify"
        show = "show running-config interface " if xr else "show running-config | section "
        steps["running_interface"] = conn.send_command(show + args.interface)
        conn.disconnect()
    except Exception as exc:  # noqa: BLE001 - report whatever netmiko raised
        print(json.dumps({"ok": False, "step": current, "error": "%s: %s" % (type(exc).__name__, exc), "steps": steps}))
        return 1
    print(json.dumps({"ok": True, "steps": steps}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
