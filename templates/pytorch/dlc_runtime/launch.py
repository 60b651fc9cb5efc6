"""`python -m dlc_runtime.launch --nproc N SCRIPT [ARGS…]`: N processes on this machine with the
environment torchrun gives its workers (MASTER_ADDR/PORT, RANK, LOCAL_RANK, WORLD_SIZE,
LOCAL_WORLD_SIZE), for one-machine DDP without torchrun. (Debian's torch 1.13 under Python
3.11 ships a torchrun that fails before starting any worker: its Std flags parse to None.)
Several machines: use torchrun --nnodes/--rdzv-endpoint as usual."""
import argparse
import os
import signal
import socket
import subprocess
import sys


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def launch(nproc, argv, env=None):
    """Runs `python argv…` nproc times; returns the first non-zero exit code, else 0. When one
    process fails the others are stopped (they would wait for it forever)."""
    port = free_port()
    procs = []
    for rank in range(nproc):
        e = dict(env or os.environ)
        e.update({'MASTER_ADDR': '127.0.0.1', 'MASTER_PORT': str(port), 'RANK': str(rank), 'LOCAL_RANK': str(rank),
                  'WORLD_SIZE': str(nproc), 'LOCAL_WORLD_SIZE': str(nproc), 'GROUP_RANK': '0'})
        procs.append(subprocess.Popen([sys.executable] + list(argv), env=e))
    code = 0
    try:
        pending = list(procs)
        while pending:
            for p in list(pending):
                try:
                    rc = p.wait(timeout=0.2)
                except subprocess.TimeoutExpired:
                    continue
                pending.remove(p)
                if rc != 0 and code == 0:
                    code = rc
                    for q in pending:
                        q.send_signal(signal.SIGTERM)
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    return code


def main():
    ap = argparse.ArgumentParser(prog='python -m dlc_runtime.launch')
    ap.add_argument('--nproc', type=int, required=True)
    ap.add_argument('script')
    ap.add_argument('args', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    sys.exit(launch(a.nproc, [a.script] + a.args))


if __name__ == '__main__':
    main()
