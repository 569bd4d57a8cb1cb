#!/usr/bin/env python3
"""Full TLS handshakes against one URL: every connection starts without a session to resume, as a
sending MTA that fetches a policy once a day does (wrk offers the session ticket of its previous
connection, so its "new handshakes" are resumptions). Prints one line:
    full-handshakes ANSWERED SECONDS FAILED OTHER_STATUS
(connections answered with 200, wall time, connections that failed, answers with another status)

    full_handshakes.py HOST PORT PATH CAFILE THREADS SECONDS
"""
import socket
import ssl
import sys
import threading
import time


def main():
    host, port, path, cafile = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    threads, seconds = int(sys.argv[5]), float(sys.argv[6])
    # No session is ever offered (wrap_socket gets none), so each connection negotiates from
    # scratch; the server still sends its tickets, as it does to a real sender.
    context = ssl.create_default_context(cafile=cafile)
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode("ascii")
    deadline = time.monotonic() + seconds
    counts = [0] * threads
    failed = [0] * threads
    other = [0] * threads

    def run(i):
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
                    # As curl, urllib3 and aiohttp do: without it the request waits for the ACK of
                    # the client's Finished, up to the server's delayed-ACK time (40 ms on Linux)
                    # when the server sends nothing after the handshake (Conscrypt's engine).
                    raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    with context.wrap_socket(raw, server_hostname=host) as tls:
                        tls.sendall(request)
                        answer = b""
                        while chunk := tls.recv(4096):
                            answer += chunk
                if answer.startswith(b"HTTP/1.1 200"):
                    counts[i] += 1
                else:
                    other[i] += 1
            except Exception:  # noqa: BLE001 - any failure counts, and the thread goes on
                failed[i] += 1

    started = time.monotonic()
    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(f"full-handshakes {sum(counts)} {time.monotonic() - started:.2f} {sum(failed)} {sum(other)}")


if __name__ == "__main__":
    main()
