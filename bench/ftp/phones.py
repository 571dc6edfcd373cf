#!/usr/bin/env python3
"""FTP load for bench/ftp/run.sh: phones that each keep one control connection (login, RETR
their files, QUIT), CONCURRENCY at a time, with Python's ftplib (curl stalls ~1 s between files
on one connection). Prints one JSON line: wall seconds, fetches, bytes, errors, per-phone
session percentiles.

  phones.py small HOST PORT USER PASS LIST CONCURRENCY   # LIST: one line per phone, paths space-separated
  phones.py big HOST PORT USER PASS PATH                 # one download, throughput
"""
import ftplib
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor


def session(host, port, user, password, paths):
    got = 0
    t0 = time.perf_counter()
    ftp = ftplib.FTP()
    ftp.connect(host, port, timeout=30)
    ftp.login(user, password)
    ftp.voidcmd('TYPE I')
    for p in paths:
        n = [0]

        def sink(chunk, n=n):
            n[0] += len(chunk)

        ftp.retrbinary('RETR ' + p, sink, blocksize=262144)
        got += n[0]
    ftp.quit()
    return got, time.perf_counter() - t0


def small(host, port, user, password, listfile, concurrency):
    phones = [line.split() for line in open(listfile) if line.strip()]
    errors = 0
    total = 0
    times = []
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        futures = [pool.submit(session, host, port, user, password, p) for p in phones]
        for f in futures:
            try:
                b, s = f.result(timeout=120)
                total += b
                times.append(s)
            except Exception as e:  # noqa: BLE001 - counted, the run goes on
                errors += 1
                if errors <= 3:
                    print('error:', repr(e), file=sys.stderr)
    wall = time.perf_counter() - t0
    times.sort()
    pct = lambda q: round(times[min(len(times) - 1, int(q * len(times)))] * 1000, 1) if times else None
    fetches = sum(len(p) for p in phones)
    print(json.dumps({'mode': 'small', 'phones': len(phones), 'fetches': fetches, 'bytes': total, 'errors': errors,
                      'wall_s': round(wall, 3), 'fetches_per_s': round(fetches / wall, 1),
                      'session_ms_p50': pct(0.5), 'session_ms_p99': pct(0.99)}))


def big(host, port, user, password, path):
    b, s = session(host, port, user, password, [path])
    print(json.dumps({'mode': 'big', 'bytes': b, 'wall_s': round(s, 3), 'mb_per_s': round(b / s / 1e6, 1)}))


if __name__ == '__main__':
    mode = sys.argv[1]
    host, port, user, password = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    if mode == 'small':
        small(host, port, user, password, sys.argv[6], int(sys.argv[7]))
    else:
        big(host, port, user, password, sys.argv[6])
