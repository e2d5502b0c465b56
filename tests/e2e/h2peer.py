"""A raw HTTP/2 peer for the transport tests (hardening against floods).

grpcio cannot choose its source address or leave a request half-sent, so
these tests speak HTTP/2 themselves with Debian's python3-h2. Every
127.0.0.0/8 address reaches the loopback interface, which lets one machine
play many clients (each source address counts as one peer).
"""
import os
import socket
import time

import h2.config
import h2.connection
import h2.events

HEALTH = "/grpc.health.v1.Health/Check"


def server_rss_bytes(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def open_socket(port, source="127.0.0.1", timeout=5.0):
    """A TCP connection to the server from `source`; raises OSError."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    return sock


class Peer:
    """One HTTP/2 connection (the client preface and SETTINGS sent)."""

    def __init__(self, port, source="127.0.0.1", timeout=5.0):
        self.sock = open_socket(port, source, timeout)
        config = h2.config.H2Configuration(client_side=True,
                                           header_encoding="utf-8")
        self.conn = h2.connection.H2Connection(config=config)
        self.conn.initiate_connection()
        self.flush()

    def flush(self):
        data = self.conn.data_to_send()
        if data:
            self.sock.sendall(data)

    def receive(self, timeout):
        """Reads what the server sent within `timeout`; returns h2 events.
        An empty list with a closed socket raises ConnectionError."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(1 << 16)
        except socket.timeout:
            return []
        if not data:
            raise ConnectionError("server closed the connection")
        events = self.conn.receive_data(data)
        self.flush()
        return events

    def start_call(self, path, token=None):
        stream = self.conn.get_next_available_stream_id()
        headers = [(":method", "POST"), (":scheme", "http"),
                   (":path", path), (":authority", "reciprocity"),
                   ("content-type", "application/grpc"), ("te", "trailers")]
        if token:
            headers.append(("authorization", "Bearer " + token))
        self.conn.send_headers(stream, headers)
        return stream

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def health(port, source="127.0.0.1", timeout=2.0, why=None):
    """True when a health check over a new connection from `source` answers
    SERVING within `timeout` seconds. On failure, appends the reason to the
    list `why` when given."""
    deadline = time.monotonic() + timeout

    def failed(reason):
        if why is not None:
            why.append(reason)
        return False
    try:
        peer = Peer(port, source, timeout)
    except OSError as e:
        return failed(f"connect: {e}")
    try:
        stream = peer.start_call(HEALTH)
        peer.conn.send_data(stream, b"\x00\x00\x00\x00\x00", end_stream=True)
        peer.flush()
        body = b""
        while time.monotonic() < deadline:
            for event in peer.receive(max(0.01, deadline - time.monotonic())):
                if isinstance(event, h2.events.DataReceived):
                    body += event.data
                    peer.conn.acknowledge_received_data(
                        event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.TrailersReceived):
                    status = dict(event.headers).get("grpc-status")
                    # A HealthCheckResponse with status SERVING (1).
                    if status == "0" and body.endswith(b"\x08\x01"):
                        return True
                    return failed(f"answered {dict(event.headers)}")
                elif isinstance(event, (h2.events.StreamReset,
                                        h2.events.ConnectionTerminated)):
                    return failed(f"{event}")
            peer.flush()
        return failed("timed out")
    except (OSError, ConnectionError, h2.exceptions.ProtocolError) as e:
        return failed(f"{type(e).__name__}: {e}")
    finally:
        peer.close()


def wait_for_health(port, within, source="127.0.0.1"):
    """Seconds until health answered, or None if not within `within`."""
    start = time.monotonic()
    while time.monotonic() - start < within:
        if health(port, source, timeout=1.0):
            return time.monotonic() - start
        time.sleep(0.1)
    return None


def start_server(daemon, src, work, extra=(), nofile=None):
    """Starts reciprocityd on a free loopback port; returns (process, port).
    `nofile` sets its open-file limit (soft and hard), as `ulimit -n` does."""
    import resource
    import subprocess

    principals = os.path.join(work, "principals.textproto")
    with open(principals, "w") as f:
        f.write("")
    log = open(os.path.join(work, "server.log"), "w")

    def limit():
        if nofile:
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

    proc = subprocess.Popen(
        [daemon, "--listen", "127.0.0.1:0", "--db",
         os.path.join(work, "flood.db"), "--rules",
         os.path.join(src, "policy", "areas"), "--principals", principals,
         *extra],
        stdout=subprocess.PIPE, stderr=log, text=True, preexec_fn=limit)
    line = proc.stdout.readline()
    if "port" not in line:
        proc.kill()
        raise RuntimeError("server did not start: " + line +
                           open(os.path.join(work, "server.log")).read())
    port = int(line.rsplit("port", 1)[1].strip(" )\n"))
    return proc, port
