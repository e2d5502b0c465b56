#!/usr/bin/python3
"""A connection flood with no token must not make reciprocityd deaf.

The server runs with a low open-file limit (`ulimit -n`). First one client
opens far more connections than its per-address cap: a health check from
another address still answers during the flood. Then many addresses open
more connections in all than the server has descriptors: once they have
gone, health must answer again within seconds (gRPC 1.51's own listener
stopped accepting for good at the first EMFILE).

  flood_test.py RECIPROCITYD SRC_DIR [--scale N]   (N=1 in CI; more by hand)
"""
import argparse
import os
import resource
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import h2peer  # noqa: E402


def flood(port, sources, per_source):
    """Opens up to per_source connections from each source; returns them."""
    held = []
    for source in sources:
        for _ in range(per_source):
            try:
                held.append(h2peer.open_socket(port, source, timeout=2.0))
            except OSError:
                pass  # refused, reset or timed out: the server is full
    return held


def refused_connections(work):
    """reciprocity_connections_refused_total by reason, from /metrics."""
    import re
    import urllib.request

    port_file = os.path.join(work, "server.log")
    match = re.search(r"event=metrics_started .*port=(\d+)",
                      open(port_file).read())
    if not match:
        return {}
    text = urllib.request.urlopen(
        f"http://127.0.0.1:{match.group(1)}/metrics", timeout=5).read()
    return {m.group(1): int(m.group(2)) for m in re.finditer(
        r'reciprocity_connections_refused_total\{reason="(\w+)"\} (\d+)',
        text.decode())}


def close_all(sockets):
    for s in sockets:
        s.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("daemon")
    parser.add_argument("src")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--nofile", type=int, default=256)
    parser.add_argument("--per-peer", type=int, default=32,
                        help="the server's cap per address (0: leave the "
                        "flag out, for a build that predates it)")
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = 4000 * args.scale + 100
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, need)),
                                                hard))

    with tempfile.TemporaryDirectory() as work:
        proc, port = h2peer.start_server(
            args.daemon, args.src, work, nofile=args.nofile,
            extra=(["--max-connections-per-peer", str(args.per_peer),
                    "--metrics-listen", "127.0.0.1:0"]
                   if args.per_peer else []))
        failures = []
        try:
            if h2peer.wait_for_health(port, 5) is None:
                failures.append("no health answer before the flood")

            # One address, ten times its cap.
            held = flood(port, ["127.0.0.1"], 320 * args.scale)
            time.sleep(0.5)
            if not h2peer.health(port, "127.0.0.2", timeout=3.0):
                failures.append("health from another address failed while "
                                "one address flooded")
            close_all(held)

            # Many addresses, more connections in all than descriptors.
            sources = [f"127.0.1.{i}" for i in range(1, 1 + 40 * args.scale)]
            start = time.monotonic()
            held = flood(port, sources, 64)
            opened = len(held)
            time.sleep(1.0)
            close_all(held)
            recovered = h2peer.wait_for_health(port, 10, "127.0.0.3")
            print(f"flood: {len(sources) * 64} connections tried from "
                  f"{len(sources)} addresses ({opened} accepted by TCP) "
                  f"against ulimit -n {args.nofile} in "
                  f"{time.monotonic() - start:.1f} s; health answered "
                  f"{'in %.2f s' % recovered if recovered is not None else 'NEVER'}"
                  " after the flood ended")
            if recovered is None:
                failures.append("health did not answer within 10 s after "
                                "the flood ended")
            refused = refused_connections(work)
            print(f"refused by the server: {refused}")
            if refused.get("peer_cap", 0) == 0 and args.per_peer:
                failures.append("no connection counted as over the "
                                "per-address cap")
            if proc.poll() is not None:
                failures.append(f"server exited with {proc.returncode}")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        log = open(os.path.join(work, "server.log")).read()
        if "Failed accept4" in log:
            failures.append("gRPC's own listener ran out of descriptors")
        if failures:
            print("FAIL:", "; ".join(failures))
            print("--- server log (tail) ---")
            print("\n".join(log.splitlines()[-30:]))
            return 1
    print("flood test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
