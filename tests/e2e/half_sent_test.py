#!/usr/bin/python3
"""Half-sent calls with no token must not grow reciprocityd without bound.

Many connections each open as many streams as they can, send the headers of
a SubmitClaim and 60 KB of a 60,100-byte message, and then wait. gRPC runs
no handler (and so no authentication) until a message has fully arrived,
so those bytes sit in the server. The server's limits (streams per
connection, connections per address, a memory quota, a connection's
maximum age) must keep its memory under a stated bound while health checks
keep answering, and the memory must come back down once they have gone.

  half_sent_test.py RECIPROCITYD SRC_DIR [--connections N] [--streams N]
                    [--bound-mib M]
CI runs 40 connections x 100 streams tried (about 230 MiB if nothing were
bounded; with 32 streams a connection, 75 MiB, under the default memory
quota of 128 MiB, so health must answer throughout); the probe that found
this used 400 x 100 (the long form, --connections 400).
"""
import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import h2.events  # noqa: E402
import h2.exceptions  # noqa: E402
import h2peer  # noqa: E402

SUBMIT = "/reciprocity.v1.ClaimService/SubmitClaim"
DECLARED = 60_100
SENT = 60_000


def half_send(peer, streams):
    """Opens up to `streams` calls on `peer`, sending each one's headers
    and SENT bytes of a DECLARED-byte message, as far as flow control and
    the server's stream limit allow. Returns the streams opened."""
    opened = []
    prefix = b"\x00" + DECLARED.to_bytes(4, "big")
    for _ in range(streams):
        try:
            stream = peer.start_call(SUBMIT)
        except h2.exceptions.TooManyStreamsError:
            break  # the server's SETTINGS_MAX_CONCURRENT_STREAMS
        opened.append([stream, prefix + b"\x41" * (SENT - len(prefix))])
    pending = True
    deadline = time.monotonic() + 5
    while pending and time.monotonic() < deadline:
        pending = False
        for entry in opened:
            stream, rest = entry
            if not rest:
                continue
            try:
                window = min(peer.conn.local_flow_control_window(stream),
                             peer.conn.max_outbound_frame_size)
            except (h2.exceptions.StreamClosedError, KeyError):
                entry[1] = b""
                continue
            if window <= 0:
                pending = True
                continue
            peer.conn.send_data(stream, rest[:window])
            entry[1] = rest[window:]
            pending = pending or bool(entry[1])
        peer.flush()
        if pending:
            peer.receive(0.05)  # window updates
    return len(opened)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("daemon")
    parser.add_argument("src")
    parser.add_argument("--connections", type=int, default=40)
    parser.add_argument("--streams", type=int, default=100)
    parser.add_argument("--bound-mib", type=int, default=120,
                        help="bound on the server's RSS growth over its "
                        "size before the test (sanitizer builds need more)")
    parser.add_argument("--extra", action="append", default=[])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as work:
        proc, port = h2peer.start_server(args.daemon, args.src, work,
                                         extra=args.extra)
        failures = []
        peers = []
        try:
            if h2peer.wait_for_health(port, 5) is None:
                failures.append("no health answer before the test")
            rss_start = h2peer.server_rss_bytes(proc.pid)
            peak = rss_start
            streams = 0
            health_failures = 0
            why = []
            for i in range(args.connections):
                # Spread over addresses as a botnet would (so the
                # per-address cap is not what saves the server).
                source = f"127.0.2.{1 + i % 50}"
                try:
                    peer = h2peer.Peer(port, source)
                    peer.receive(0.2)  # the server's SETTINGS
                    streams += half_send(peer, args.streams)
                    peers.append(peer)
                except (OSError, ConnectionError, h2.exceptions.ProtocolError):
                    pass
                peak = max(peak, h2peer.server_rss_bytes(proc.pid))
                if i % 10 == 9 and not h2peer.health(port, "127.0.0.2", 3.0,
                                                     why):
                    health_failures += 1
            time.sleep(2)
            peak = max(peak, h2peer.server_rss_bytes(proc.pid))
            if not h2peer.health(port, "127.0.0.2", 3.0, why):
                health_failures += 1
            for peer in peers:
                peer.close()
            time.sleep(3)
            rss_after = h2peer.server_rss_bytes(proc.pid)
            mib = 1 << 20
            print(f"half-sent: {args.connections} connections x "
                  f"{args.streams} streams tried, {streams} opened, "
                  f"{streams * SENT / mib:.0f} MiB sent; server RSS "
                  f"{rss_start / mib:.0f} MiB before, peak "
                  f"{peak / mib:.0f} MiB (growth bound {args.bound_mib}), "
                  f"{rss_after / mib:.0f} MiB 3 s after; "
                  f"{health_failures} health checks failed")
            if peak - rss_start > args.bound_mib * mib:
                failures.append(f"RSS grew {(peak - rss_start) / mib:.0f} "
                                f"MiB, over the bound of {args.bound_mib} "
                                "MiB")
            if health_failures:
                failures.append(f"{health_failures} health checks failed "
                                f"during the test: {why[:3]}")
            if h2peer.wait_for_health(port, 5) is None:
                failures.append("no health answer after the test")
            if proc.poll() is not None:
                failures.append(f"server exited with {proc.returncode}")
        finally:
            for peer in peers:
                peer.close()
            proc.terminate()
            proc.wait(timeout=30)
        if failures:
            print("FAIL:", "; ".join(failures))
            log = open(os.path.join(work, "server.log")).read()
            print("\n".join(log.splitlines()[-30:]))
            return 1
    print("half-sent test passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
