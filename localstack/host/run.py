"""LocalStack on this machine, no Docker: SQS, DynamoDB and DynamoDB Streams on 127.0.0.1 (./jobway localstack).

./jobway localstack installs what this needs (the pinned localstack-core in .venv-localstack, DynamoDB Local
from Maven Central under .localstack/lib) and runs this file with that environment's Python (3.13 or newer).

Containment: LocalStack runs in network, PID and mount namespaces of its own (unshare -n -p -f --mount-proc).
In its network namespace only a loopback exists, so nothing it starts is reachable from outside (DynamoDB Local,
which it starts, listens on every interface) and nothing it tries to download leaves the machine. It is the init
process of its PID namespace, so when it ends, the kernel ends every process it started. A namespace's loopback
is not the host's, so this script relays 127.0.0.1:PORT on the host into the namespace's 127.0.0.1:4566: each
connection's socket on the far side is created inside the namespace (setns), the bytes are copied both ways.
Where namespaces are not allowed (no root, no unprivileged user namespaces), it runs LocalStack without them
after saying so, and still stops every process it started.
"""

import argparse
import asyncio
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STATE = os.path.join(PROJECT, ".localstack")
INNER_PORT = 4566
READY_TIMEOUT_S = 120
STOP_GRACE_S = 15
PR_SET_PDEATHSIG = 1


def localstack_environment(filesystem_root, listen_port, public_port):
    """The settings that make LocalStack's runtime work on a host with no Docker and no network (FACTS.md)."""
    env = dict(os.environ)
    env.update({
        "OVERRIDE_IN_DOCKER": "0",  # the machine may have /.dockerenv; LocalStack would then use system paths
        "FILESYSTEM_ROOT": filesystem_root,
        "GATEWAY_LISTEN": f"127.0.0.1:{listen_port}",
        "GATEWAY_SERVER": "hypercorn",  # the default server ignores the host and binds 0.0.0.0
        "LOCALSTACK_HOST": f"127.0.0.1:{public_port}",  # queue URLs name the port clients reach
        "SQS_ENDPOINT_STRATEGY": "path",
        "SERVICES": "sqs,dynamodb,dynamodbstreams,cloudwatch",
        "EAGER_SERVICE_LOADING": "1",
        "PROVIDER_OVERRIDE_DYNAMODB": "v2",
        "PROVIDER_OVERRIDE_DYNAMODBSTREAMS": "v2",  # v1 runs an npm install at start and dropped early records
        "DYNAMODB_IN_MEMORY": "1",
        "DISABLE_EVENTS": "1",
        "SKIP_SSL_CERT_DOWNLOAD": "1",
        "DNS_ADDRESS": "0",
    })
    return env


def instance_root():
    """A FILESYSTEM_ROOT per run (two LocalStacks never share temp files), sharing the installed DynamoDB Local."""
    lib = os.path.join(STATE, "lib")
    if not os.path.isfile(os.path.join(lib, "dynamodb-local", "2", "DynamoDBLocal.jar")):
        sys.exit(f"jobway: DynamoDB Local is not installed in {lib}: start LocalStack with ./jobway localstack")
    runs = os.path.join(STATE, "run")
    for stale in os.listdir(runs) if os.path.isdir(runs) else []:
        if not os.path.exists(f"/proc/{stale}"):  # a launcher that was killed could not clean up
            shutil.rmtree(os.path.join(runs, stale), ignore_errors=True)
    root = os.path.join(runs, str(os.getpid()))
    shutil.rmtree(root, ignore_errors=True)
    os.makedirs(os.path.join(root, "var", "lib", "localstack"))
    os.symlink(lib, os.path.join(root, "var", "lib", "localstack", "lib"))
    return root


def die_with_parent(sig):
    """For the child: send it {sig} if this script dies, even by SIGKILL, so nothing outlives the launcher."""
    return lambda: ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, sig)


def namespaces_allowed():
    probe = subprocess.run(["unshare", "-n", "-p", "-f", "--mount-proc", "ip", "link", "set", "lo", "up"],
                           capture_output=True, text=True)
    return probe.returncode == 0, (probe.stderr or "").strip()


class Contained:
    """LocalStack as init of its own network, PID and mount namespaces, reached through a relay."""

    def __init__(self, env, log):
        command = ["unshare", "-n", "-p", "-f", "--mount-proc", "--kill-child=SIGTERM", "--",
                   "sh", "-c", 'ip link set lo up && exec "$@"', "sh",
                   sys.executable, "-m", "localstack.runtime.main"]
        # unshare blocks SIGTERM while it waits for its child, so it gets SIGKILL; --kill-child then sends
        # LocalStack SIGTERM, and LocalStack's end ends its PID namespace
        self.unshare = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, preexec_fn=die_with_parent(signal.SIGKILL),
                                        start_new_session=True)
        self.init_pid = None
        self.netns = None

    def enter_namespace(self):
        """Waits until unshare has made the namespaces and forked LocalStack; remembers both."""
        own = os.readlink("/proc/self/ns/net")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and self.unshare.poll() is None:
            try:
                children = open(f"/proc/{self.unshare.pid}/task/{self.unshare.pid}/children").read().split()
                if children and os.readlink(f"/proc/{self.unshare.pid}/ns/net") != own:
                    self.init_pid = int(children[0])
                    self.netns = os.open(f"/proc/{self.unshare.pid}/ns/net", os.O_RDONLY)
                    return
            except OSError:
                pass  # the process is still being set up
            time.sleep(0.02)
        raise RuntimeError("unshare did not start LocalStack in its namespaces")

    def alive(self):
        return self.unshare.poll() is None

    def stop(self):
        """SIGTERM to LocalStack (it stops DynamoDB Local itself); SIGKILL ends the whole PID namespace after that."""
        if self.init_pid and self.alive():
            os.kill(self.init_pid, signal.SIGTERM)
            try:
                self.unshare.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                print(f"jobway: LocalStack did not stop in {STOP_GRACE_S} s; killing its namespace", flush=True)
                os.kill(self.init_pid, signal.SIGKILL)
        self.unshare.wait()
        if self.netns is not None:
            os.close(self.netns)


class Uncontained:
    """LocalStack as a plain child, where namespaces are not allowed; its process tree is ended at stop."""

    def __init__(self, env, log):
        self.process = subprocess.Popen([sys.executable, "-m", "localstack.runtime.main"], env=env, stdout=log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        preexec_fn=die_with_parent(signal.SIGTERM), start_new_session=True)

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        import psutil  # a dependency of localstack-core

        try:
            # DynamoDB Local runs in a session of its own: find every descendant now, end the stragglers after
            descendants = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            descendants = []
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(STOP_GRACE_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for process in descendants:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass


async def pipe(reader, writer):
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()  # half-close: the other side may still answer
    except (ConnectionError, OSError):
        pass


def relay_handler(netns):
    """Connects each client on the host's loopback to LocalStack's port inside the network namespace."""
    own = os.open("/proc/self/ns/net", os.O_RDONLY)

    async def handle(client_reader, client_writer):
        os.setns(netns, os.CLONE_NEWNET)  # a socket belongs to the namespace it was created in
        try:
            upstream = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        finally:
            os.setns(own, os.CLONE_NEWNET)
        upstream.setblocking(False)
        try:
            await asyncio.get_running_loop().sock_connect(upstream, ("127.0.0.1", INNER_PORT))
            upstream_reader, upstream_writer = await asyncio.open_connection(sock=upstream)
        except OSError:
            upstream.close()
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, upstream_writer), pipe(upstream_reader, client_writer))
        for writer in (upstream_writer, client_writer):
            writer.close()

    return handle


def ready(url):
    try:
        with urllib.request.urlopen(url + "/_localstack/init/ready", timeout=2) as response:
            return b'"completed": true' in response.read().replace(b'"completed":true', b'"completed": true')
    except OSError:
        return False


async def main():
    parser = argparse.ArgumentParser(prog="jobway localstack", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("JOBWAY_LOCALSTACK_PORT", "4566")),
                        help="port on 127.0.0.1 (default 4566; 0 picks a free one)")
    parser.add_argument("--log", help="write LocalStack's own output to this file instead of the terminal")
    args = parser.parse_args()

    started = time.monotonic()
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(("127.0.0.1", args.port))
    except OSError as e:
        sys.exit(f"jobway: cannot listen on 127.0.0.1:{args.port} ({e.strerror}): choose another with --port")
    port = listener.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}"
    root = instance_root()
    log = open(args.log, "ab") if args.log else None

    allowed, why_not = namespaces_allowed()
    if allowed:
        localstack = Contained(localstack_environment(root, INNER_PORT, port), log)
        localstack.enter_namespace()
        server = await asyncio.start_server(relay_handler(localstack.netns), sock=listener)
        containment = "own network, PID and mount namespaces; relayed from " + endpoint
    else:
        print(f"jobway: running LocalStack without namespaces ({why_not or 'unshare refused'}): its DynamoDB Local"
              " listens on every interface, on a random port, while it runs", flush=True)
        listener.close()  # LocalStack binds the port itself
        localstack = Uncontained(localstack_environment(root, port, port), log)
        server = None
        containment = "no namespaces (not allowed here)"

    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, stopping.set)
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not await asyncio.to_thread(ready, endpoint):
            if stopping.is_set():
                return 0
            if not localstack.alive() or time.monotonic() > deadline:
                print(f"jobway: LocalStack did not become ready{' (see ' + args.log + ')' if args.log else ''}",
                      flush=True)
                return 1
            await asyncio.sleep(0.1)
        print(f"""
LocalStack is ready at {endpoint}  (SQS, DynamoDB, DynamoDB Streams; in {time.monotonic() - started:.1f} s)
  contained  {containment}
  Jobway     ./jobway up --aws-endpoint {endpoint}
  AWS CLI    AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test aws --region us-east-1 --endpoint-url {endpoint} sqs list-queues
Ctrl-C stops it (and every process it started).""", flush=True)
        while not stopping.is_set() and localstack.alive():
            try:
                await asyncio.wait_for(stopping.wait(), 1)
            except TimeoutError:
                pass
        if not localstack.alive():
            print("jobway: LocalStack exited by itself", flush=True)
            return 1
        return 0
    finally:
        if server is not None:
            server.close()
        print("jobway: stopping LocalStack...", flush=True)
        await asyncio.to_thread(localstack.stop)
        shutil.rmtree(root, ignore_errors=True)
        print("jobway: LocalStack stopped", flush=True)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
