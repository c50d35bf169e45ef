#!/usr/bin/env python3
"""A plain UDP client, standard library only: the outside sender bench:udp sets the harness's UDP
client (src/load/drivers/dgram.ts) beside. FLOWS sockets, each connected to HOST:PORT (so each its own
4-tuple), each with one datagram of SIZE bytes in flight: when its answer comes, it sends the next.
For SECONDS, then prints one JSON line: datagrams sent and answered, the seconds, and its CPU seconds.
  udp-sender.py HOST PORT FLOWS SECONDS [SIZE]
"""
import json
import os
import selectors
import socket
import sys
import time


def main() -> None:
    host, port, flows, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    size = int(sys.argv[5]) if len(sys.argv) > 5 else 64
    payload = bytes(size)
    sel = selectors.DefaultSelector()
    socks = []
    for _ in range(flows):
        s = socket.socket(socket.AF_INET6 if ':' in host else socket.AF_INET, socket.SOCK_DGRAM)
        s.connect((host, port))
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        socks.append(s)
    sent = answered = 0
    cpu0 = os.times()
    start = time.monotonic()
    end = start + seconds
    for s in socks:
        s.send(payload)
        sent += 1
    while True:
        now = time.monotonic()
        if now >= end:
            break
        for key, _ in sel.select(timeout=min(0.05, end - now)):
            s = key.fileobj
            while True:
                try:
                    s.recv(2048)
                except BlockingIOError:
                    break
                answered += 1
                if time.monotonic() < end:
                    s.send(payload)
                    sent += 1
    took = time.monotonic() - start
    cpu1 = os.times()
    for s in socks:
        s.close()
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    print(json.dumps({'sent': sent, 'answered': answered, 'seconds': round(took, 3), 'cpuSeconds': round(cpu, 3)}))


if __name__ == '__main__':
    main()
