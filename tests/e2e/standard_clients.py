#!/usr/bin/python3
"""Talks to reciprocityd with a client that is not ours (Debian's grpcio),
using only raw protobuf bytes: the standard health check, a reflection
listing, and a call without a token (which must be UNAUTHENTICATED)."""
import sys

import grpc


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def string_field(number, text):
    data = text.encode()
    return varint((number << 3) | 2) + varint(len(data)) + data


def main(address):
    channel = grpc.insecure_channel(address)
    grpc.channel_ready_future(channel).result(timeout=10)

    # grpc.health.v1.Health/Check with service "" -> status SERVING (1).
    check = channel.unary_unary("/grpc.health.v1.Health/Check")
    reply = check(b"", timeout=5)
    assert reply == b"\x08\x01", f"health reply {reply!r}"
    reply = check(string_field(1, "reciprocity.v1.ClaimService"), timeout=5)
    assert reply == b"\x08\x01", f"health reply for ClaimService {reply!r}"

    # grpc.reflection.v1alpha: list_services (field 7).
    reflect = channel.stream_stream(
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo")
    replies = list(reflect(iter([string_field(7, "")]), timeout=5))
    listing = b"".join(replies)
    for service in (b"reciprocity.v1.ClaimService", b"reciprocity.v1.PolicyService",
                    b"grpc.health.v1.Health"):
        assert service in listing, f"{service!r} missing from reflection listing"

    # A domain call without a token.
    list_claims = channel.unary_unary("/reciprocity.v1.ClaimService/ListClaims")
    try:
        list_claims(b"", timeout=5)
    except grpc.RpcError as e:
        assert e.code() == grpc.StatusCode.UNAUTHENTICATED, e.code()
    else:
        raise AssertionError("ListClaims without a token succeeded")
    print("standard clients: health, reflection and UNAUTHENTICATED all OK")


if __name__ == "__main__":
    main(sys.argv[1])
