"""`nexsh sandbox` on a free loopback port for the clients of the one-shot case, stopped on exit."""
import contextlib
import json
import re
import subprocess
import urllib.parse
import urllib.request


@contextlib.contextmanager
def running_sandbox(nexsh):
    """Starts the sandbox on a port of its choosing and yields its base URL. The server is
    stopped (SIGTERM, then SIGKILL) however the block ends."""
    process = subprocess.Popen([nexsh, "sandbox", "--port", "0", "--quiet"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        banner = process.stdout.readline()
        match = re.search(r"http://[0-9.]+:[0-9]+", banner)
        if not match:
            raise RuntimeError(f"nexsh sandbox did not start: {banner!r}")
        yield match.group(0)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def access_token(base_url, email, password):
    """Signs in at the sandbox's token endpoint, as a portal would."""
    form = urllib.parse.urlencode({"grant_type": "password", "username": email, "password": password}).encode()
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never a proxy
    with opener.open(urllib.request.Request(base_url + "/api/token", data=form), timeout=5) as response:
        return json.load(response)["access_token"]
