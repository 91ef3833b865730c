"""A tiny authoritative DNS server on a local UDP port, answering TXT queries from a table.

Names not in the table answer NXDOMAIN; ``servfail`` names answer SERVFAIL; ``silent`` names get
no answer at all (the resolver times out). Answers are built by dnspython."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
from dns.rdtypes.ANY.TXT import TXT


@dataclass
class FakeDns:
    port: int = 0
    txt: dict[str, list[list[bytes]]] = field(default_factory=dict)  # name -> records -> strings
    servfail: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)
    queries: list[str] = field(default_factory=list)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def answer(self, wire: bytes) -> bytes | None:
        query = dns.message.from_wire(wire)
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True).lower()
        self.queries.append(name)
        if name in self.silent:
            return None
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        if name in self.servfail:
            response.set_rcode(dns.rcode.SERVFAIL)
        elif name not in self.txt:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif question.rdtype == dns.rdatatype.TXT and self.txt[name]:
            rrset = dns.rrset.RRset(question.name, dns.rdataclass.IN, dns.rdatatype.TXT)
            for strings in self.txt[name]:
                rrset.add(TXT(dns.rdataclass.IN, dns.rdatatype.TXT, strings), ttl=60)
            response.answer.append(rrset)
        return response.to_wire()


@contextmanager
def running_dns() -> Iterator[FakeDns]:
    fake = FakeDns()
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(0.2)
    fake.port = server.getsockname()[1]
    stopping = threading.Event()

    def serve() -> None:
        while not stopping.is_set():
            try:
                wire, client = server.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                reply = fake.answer(wire)
            except Exception:
                reply = None
            if reply is not None:
                server.sendto(reply, client)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        stopping.set()
        thread.join(timeout=2)
        server.close()
