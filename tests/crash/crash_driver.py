#!/usr/bin/python3
"""Crash test driver: kill -9 reciprocityd under load and check that no
acknowledged claim is lost or changed and that no request made two claims.

Each round: start the server, run 64 submitters with unique request ids,
kill -9 the server at a random moment, check PRAGMA integrity_check on the
crashed database, restart, retry every unacknowledged request with its id
and body, then check every claim acknowledged in any round so far.

Usage: crash_driver.py --daemon D --rules DIR --pyout DIR --work DIR
                       [--rounds N] [--seed S]
(--pyout holds the reciprocity/v1/*_pb2.py modules made by protoc.)
"""
import argparse
import collections
import hashlib
import os
import random
import signal
import subprocess
import sys
import threading
import time

import grpc

SUBMITTERS = 64
TOKEN = "crash-officer-token"
PROJECT = "serviceAreas/adult-social-care/projects/ld-user-voice"
CLAIMANTS = 97


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


class Server:
    def __init__(self, args, work):
        self.args, self.work, self.proc = args, work, None
        self.port = random.randint(20000, 40000)
        self.db = os.path.join(work, "crash.db")
        self.log = os.path.join(work, "server.log")
        principals = os.path.join(work, "principals.textproto")
        digest = hashlib.sha256(TOKEN.encode()).hexdigest()
        with open(principals, "w") as f:
            f.write(f'principals {{ id: "crash-officer" token_sha256: "{digest}"\n'
                    '  roles: ROLE_OFFICER service_areas: "adult-social-care" }\n')
        self.principals = principals

    def start(self):
        log = open(self.log, "a")
        self.proc = subprocess.Popen(
            [self.args.daemon, "--listen", f"127.0.0.1:{self.port}", "--db", self.db,
             "--rules", self.args.rules, "--principals", self.principals,
             "--log-level", "warn"], stdout=log, stderr=log)
        channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        try:
            grpc.channel_ready_future(channel).result(timeout=20)
        except grpc.FutureTimeoutError:
            fail(f"server did not start; see {self.log}")
        return channel

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--daemon", required=True)
    p.add_argument("--rules", required=True)
    p.add_argument("--pyout", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--seed", type=int, default=None)
    args = p.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 30)
    print(f"crash test: {args.rounds} rounds, seed {seed}")
    random.seed(seed)
    sys.path.insert(0, args.pyout)
    # Generated at run time by crash_test.sh.
    from reciprocity.v1 import claims_pb2, programme_pb2, types_pb2  # noqa: E402

    metadata = (("authorization", f"Bearer {TOKEN}"),)
    date = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 86400))

    def register_claimants(channel):
        """Registers the claimants (claims need a registered participant);
        idempotent, so that a rerun on the same database is harmless."""
        create = channel.unary_unary(
            "/reciprocity.v1.ProgrammeService/CreateParticipant",
            request_serializer=programme_pb2.CreateParticipantRequest.SerializeToString,
            response_deserializer=programme_pb2.Participant.FromString)
        for n in range(CLAIMANTS):
            r = programme_pb2.CreateParticipantRequest(
                participant_id=f"c-{n}", request_id=f"register-c-{n}")
            r.participant.participant_type = types_pb2.PARTICIPANT_TYPE_RESIDENT
            r.participant.payment_preference = types_pb2.PAYMENT_METHOD_BANK_TRANSFER
            r.participant.display_name = f"Claimant {n}"
            r.participant.contact = "none"
            create(r, metadata=metadata, timeout=10)

    def request_for(request_id, n):
        r = claims_pb2.SubmitClaimRequest(request_id=request_id)
        c = r.claim
        c.participant = f"participants/c-{n % CLAIMANTS}"
        c.project = PROJECT
        c.session_date = date
        line = c.lines.add()
        line.category = types_pb2.EXPENSE_CATEGORY_PUBLIC_TRANSPORT
        line.amount_pence = 100 + n % 900  # distinct bodies across requests
        line.description = f"crash test {request_id}"
        return r

    def stubs(channel):
        submit = channel.unary_unary(
            "/reciprocity.v1.ClaimService/SubmitClaim",
            request_serializer=claims_pb2.SubmitClaimRequest.SerializeToString,
            response_deserializer=claims_pb2.Claim.FromString)
        list_ = channel.unary_unary(
            "/reciprocity.v1.ClaimService/ListClaims",
            request_serializer=claims_pb2.ListClaimsRequest.SerializeToString,
            response_deserializer=claims_pb2.ListClaimsResponse.FromString)
        return submit, list_

    server = Server(args, args.work)
    acked = {}  # request id -> Claim as acknowledged
    counter = 0
    for round_number in range(1, args.rounds + 1):
        channel = server.start()
        if round_number == 1:
            register_claimants(channel)
        submit, list_ = stubs(channel)
        stop = threading.Event()
        lock = threading.Lock()
        unacked = {}  # request id -> request
        errors = []

        def submitter(worker, first):
            try:
                submit_until_stopped(worker, first)
            except BaseException as e:  # reported by the main thread
                errors.append(f"submitter {worker}: {e!r}")

        def submit_until_stopped(worker, first):
            n = first
            while not stop.is_set():
                request_id = f"crash-{seed}-{round_number}-{worker}-{n}"
                request = request_for(request_id, n)
                n += 1
                try:
                    claim = submit(request, metadata=metadata, timeout=10)
                except grpc.RpcError as e:
                    if e.code() not in (grpc.StatusCode.UNAVAILABLE,
                                        grpc.StatusCode.DEADLINE_EXCEEDED,
                                        grpc.StatusCode.CANCELLED,
                                        grpc.StatusCode.UNKNOWN):
                        raise AssertionError(f"submit {request_id}: {e.code()} {e.details()}")
                    with lock:
                        unacked[request_id] = request
                    return  # the server is gone
                with lock:
                    acked[request_id] = claim

        threads = [threading.Thread(target=submitter, args=(w, counter + w * 1000000))
                   for w in range(SUBMITTERS)]
        counter += 1
        before = len(acked)
        for t in threads:
            t.start()
        time.sleep(random.uniform(0.3, 2.5))
        server.kill9()
        stop.set()
        for t in threads:
            t.join()
        channel.close()
        if errors:
            fail(f"round {round_number}: {errors[0]}")
        made = len(acked) - before

        # The crashed database, as the restart will find it.
        check = subprocess.run(["sqlite3", server.db, "PRAGMA integrity_check"],
                               capture_output=True, text=True)
        if check.stdout.strip() != "ok":
            fail(f"round {round_number}: integrity_check: {check.stdout}{check.stderr}")

        channel = server.start()
        submit, list_ = stubs(channel)
        for request_id, request in unacked.items():
            for attempt in range(50):
                try:
                    acked[request_id] = submit(request, metadata=metadata, timeout=10)
                    break
                except grpc.RpcError as e:
                    if e.code() != grpc.StatusCode.UNAVAILABLE or attempt == 49:
                        fail(f"retry of {request_id}: {e.code()} {e.details()}")
                    time.sleep(0.1)

        # Every claim, listed page by page (ListClaims returns claims as
        # GetClaim does): each acknowledged one, from every round so far, is
        # there unchanged; no request produced two claims.
        stored = {}
        by_request = collections.Counter()
        token = ""
        while True:
            page = list_(claims_pb2.ListClaimsRequest(page_size=1000, page_token=token),
                         metadata=metadata, timeout=30)
            for c in page.claims:
                stored[c.name] = c
                by_request[c.request_id] += 1
            token = page.next_page_token
            if not token:
                break
        for request_id, claim in acked.items():
            got = stored.get(claim.name)
            if got != claim:
                fail(f"round {round_number}: {claim.name} ({request_id}) lost or changed:\n"
                     f"acknowledged:\n{claim}\nnow:\n{got}")
        twice = [r for r, k in by_request.items() if k > 1]
        if twice:
            fail(f"round {round_number}: requests with two claims: {twice[:5]}")
        missing = [r for r in acked if r not in by_request]
        if missing or len(by_request) != len(acked):
            fail(f"round {round_number}: {len(by_request)} claims for {len(acked)} "
                 f"requests; missing {missing[:5]}")
        channel.close()
        server.stop()
        print(f"round {round_number}: {made} acknowledged before kill -9, "
              f"{len(unacked)} retried, {len(acked)} claims all present and "
              "unchanged, integrity ok", flush=True)
    if not acked:
        fail("no claim was ever acknowledged: the test tested nothing")
    print(f"crash test passed: {args.rounds} rounds, seed {seed}")


if __name__ == "__main__":
    main()
