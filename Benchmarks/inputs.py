"""The bench's inputs under .build/bench/inputs: generated once, remade only when the Benchmarks/
source that makes them changes (a stamp file beside each holds a hash of that source)."""
import hashlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
INPUTS = os.path.join(".build", "bench", "inputs")


def source_stamp(*names):
    """A short hash of the named Benchmarks/ sources: inputs made by them are remade when it changes."""
    digest = hashlib.sha256()
    for name in names:
        with open(os.path.join(HERE, name), "rb") as file:
            digest.update(file.read())
    return digest.hexdigest()[:16]


def cached(base, stamp, make, announcement):
    """Runs `make` unless BASE.stamp holds `stamp`, i.e. unless the inputs it makes are current."""
    stamp_file = base + ".stamp"
    if not (os.path.exists(stamp_file) and open(stamp_file).read() == stamp):
        print(f"  {announcement}", file=sys.stderr, flush=True)
        make()
        with open(stamp_file, "w") as file:
            file.write(stamp)


def generated(count):
    """replay-COUNT.har and .nexsh, generated once per version of the generator."""
    base = os.path.join(INPUTS, f"replay-{count}")
    cached(base, source_stamp("generate.py"),
           lambda: subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(count), INPUTS], check=True),
           f"generating {count:,} exchanges")
    return base + ".har", base + ".nexsh"


def suite(count, per_script):
    """The replay of COUNT exchanges split into scripts of PER_SCRIPT requests, each with its own
    cassette (Benchmarks/suite.py); made once per version of the generator and the splitter."""
    har, script = generated(count)
    base = os.path.join(INPUTS, f"suite-{count}-by-{per_script}")
    cached(base, source_stamp("generate.py", "suite.py"),
           lambda: subprocess.run([sys.executable, os.path.join(HERE, "suite.py"), har, script, str(per_script), base],
                                  check=True),
           f"splitting {count:,} exchanges into scripts of {per_script}")
    return os.path.join(base, "scripts"), os.path.join(base, "cassettes")


def first_command(script, name):
    """A script with only the first request of `script`: loading the cassette, one replay."""
    path = os.path.join(INPUTS, name)
    with open(script, encoding="utf-8") as file:
        line = next(line for line in file if line.strip() and not line.startswith("#"))
    with open(path, "w", encoding="utf-8") as file:
        file.write(line)
    return path


def write_script(name, lines):
    path = os.path.join(INPUTS, name)
    with open(path, "w", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")
    return path
