"""`python -m dlc_runtime.launch --nproc N SCRIPT [ARGS…]`: N processes on this machine with the
environment torchrun gives its workers (MASTER_ADDR/PORT, RANK, LOCAL_RANK, WORLD_SIZE,
LOCAL_WORLD_SIZE, GROUP_RANK), for DDP without torchrun. (Debian's torch 1.13 under Python
3.11 ships a torchrun that fails before starting any worker: its Std flags parse to None.)

Several machines, torchrun's static rendezvous: on each of M machines run
`python -m dlc_runtime.launch --nnodes M --node-rank I --master-addr HOST --master-port PORT --nproc N SCRIPT …`
with I = 0 … M-1 and HOST:PORT reachable from all of them (node 0 listens there); global ranks are
I·N + local rank. With a working torchrun, `torchrun --nnodes M --nproc_per_node N
--rdzv-backend c10d --rdzv-endpoint HOST:PORT SCRIPT …` does the same."""
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


def worker_env(base, *, nproc, local_rank, nnodes=1, node_rank=0, master_addr='127.0.0.1', master_port):
    """The environment of one worker (torchrun's names and values)."""
    e = dict(base)
    e.update({'MASTER_ADDR': master_addr, 'MASTER_PORT': str(master_port), 'RANK': str(node_rank * nproc + local_rank),
              'LOCAL_RANK': str(local_rank), 'WORLD_SIZE': str(nnodes * nproc), 'LOCAL_WORLD_SIZE': str(nproc),
              'GROUP_RANK': str(node_rank)})
    return e


def launch(nproc, argv, env=None, *, nnodes=1, node_rank=0, master_addr=None, master_port=None):
    """Runs `python argv…` nproc times; returns the first non-zero exit code, else 0. When one
    process fails the others are stopped (they would wait for it forever). One machine by default
    (a free local port); nnodes > 1 needs master_addr and master_port, the same on every machine."""
    if nnodes < 1 or not 0 <= node_rank < nnodes:
        raise ValueError(f'--node-rank must be in 0..{nnodes - 1}, got {node_rank}')
    if nnodes > 1 and (master_addr is None or master_port is None):
        raise ValueError('several machines (--nnodes > 1) need --master-addr and --master-port, the same on every machine')
    port = master_port if master_port is not None else free_port()
    addr = master_addr if master_addr is not None else '127.0.0.1'
    procs = []
    for rank in range(nproc):
        e = worker_env(env or os.environ, nproc=nproc, local_rank=rank, nnodes=nnodes, node_rank=node_rank, master_addr=addr, master_port=port)
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


def main(argv=None):
    ap = argparse.ArgumentParser(prog='python -m dlc_runtime.launch')
    ap.add_argument('--nproc', type=int, required=True, help='processes on this machine')
    ap.add_argument('--nnodes', type=int, default=1, help='machines (default 1)')
    ap.add_argument('--node-rank', type=int, default=0, help='this machine: 0 .. nnodes-1 (node 0 listens on --master-addr:--master-port)')
    ap.add_argument('--master-addr', default=None, help='host of node 0, reachable from every machine (default 127.0.0.1)')
    ap.add_argument('--master-port', type=int, default=None, help='a free port on node 0 (default: any free local port, one machine only)')
    ap.add_argument('script')
    ap.add_argument('args', nargs=argparse.REMAINDER)
    a = ap.parse_args(argv)
    try:
        code = launch(a.nproc, [a.script] + a.args, nnodes=a.nnodes, node_rank=a.node_rank, master_addr=a.master_addr, master_port=a.master_port)
    except ValueError as e:
        ap.error(str(e))
    sys.exit(code)


if __name__ == '__main__':
    main()
