"""The two sides as child processes driven line by line (bench_serve.h), and
their fit and predict runs interleaved: A B A B ..., so a drift of the machine
(another process, the clock) hits both sides' runs alike."""
import select
import subprocess
import time

# At least `repeats` pairs, and more (up to MAX_PAIRS) until the slower side's
# runs add up to MIN_SECONDS: a median of 3 runs of a 100 us fit is mostly the
# first calls' page faults and cache misses.
MIN_SECONDS, MAX_PAIRS = 0.2, 1000
# A first (untimed, memory-reading) run at least this long is counted as the
# side's first timed run: what a first call costs more (page faults of the
# first allocations, thread pools starting) is milliseconds, under 1 % of it.
COUNT_FIRST_SECONDS = 1.0


class SideError(Exception):
    pass


class Side:
    def __init__(self, name, cmd, env, err_path, timeout):
        self.name, self.timeout, self.err_path = name, timeout, err_path
        self.err = open(err_path, "w")
        self.p = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=self.err, text=True, bufsize=1)
        self.times = {"fit": [], "predict": []}
        self.cpu = {"fit": [], "predict": []}
        self.first = {}            # kind -> (wall, cpu) of the untimed first run
        self.first_counted = set()  # the kinds whose first run is times[kind][0]

    def _line(self, timeout):
        ready, _, _ = select.select([self.p.stdout], [], [], timeout)
        if not ready:
            self.kill()
            raise SideError(f"timed out after {timeout:g} s")
        line = self.p.stdout.readline()
        if not line:
            raise SideError(self._exit_message())
        return line.strip()

    def _exit_message(self):
        rc = self.p.wait()
        self.err.flush()
        with open(self.err_path) as f:
            tail = f.read().strip().splitlines()[-3:]
        return f"exit {rc}: {' | '.join(tail)}"

    def wait_ready(self):
        """ "ready [predict] FIT_WALL FIT_CPU [PREDICT_WALL PREDICT_CPU]" (ns)."""
        parts = self._line(self.timeout).split()
        self.can_predict = parts[1:2] == ["predict"]
        nums = parts[2:] if self.can_predict else parts[1:]
        if not parts or parts[0] != "ready" or len(nums) != (4 if self.can_predict else 2):
            raise SideError(f"expected 'ready' and the first run's times, got "
                            f"{' '.join(parts)[:80]!r}")
        try:
            ns = [int(x) * 1e-9 for x in nums]
        except ValueError:
            raise SideError(f"bad 'ready' line {' '.join(parts)[:80]!r}") from None
        self.first["fit"] = (ns[0], ns[1])
        if self.can_predict:
            self.first["predict"] = (ns[2], ns[3])

    def count_first(self, kind):
        """Counts the first run of `kind` as a timed run when it is long."""
        wall, cpu = self.first.get(kind, (0.0, 0.0))
        if wall >= COUNT_FIRST_SECONDS and not self.times[kind]:
            self.times[kind].append(wall)
            self.cpu[kind].append(cpu)
            self.first_counted.add(kind)

    def run(self, kind):
        """One timed run of "fit" or "predict": its wall time in seconds."""
        try:
            return self._run(kind)
        except SideError as e:
            raise SideError(f"{'libmlcore' if self.name == 'mlcore' else 'scikit-learn'} "
                            f"{kind}: {e}") from None

    def _run(self, kind):
        try:
            self.p.stdin.write(kind + "\n")
            self.p.stdin.flush()
        except BrokenPipeError:
            raise SideError(self._exit_message()) from None
        parts = self._line(self.timeout).split()
        if len(parts) != 2:
            raise SideError(f"bad reply {' '.join(parts)[:80]!r}")
        wall, cpu = int(parts[0]) * 1e-9, int(parts[1]) * 1e-9
        self.times[kind].append(wall)
        self.cpu[kind].append(cpu)
        return wall

    def finish(self):
        """"done": the side writes its outputs and exits."""
        try:
            self.p.stdin.write("done\n")
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        try:
            rc = self.p.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise SideError(f"timed out after {self.timeout:g} s writing its outputs") from None
        self.err.close()
        if rc:
            with open(self.err_path) as f:
                tail = f.read().strip().splitlines()[-3:]
            raise SideError(f"exit {rc}: {' | '.join(tail)}")

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        if not self.err.closed:
            self.err.close()


def wanted(side, kind, repeats, budget, min_seconds, max_pairs, others_spent):
    """Whether `side` runs `kind` once more: until it has `repeats` runs and
    the slowest side's runs add up to `min_seconds` (at most `max_pairs`); but
    a side whose runs already add up to `budget` seconds stops there (after
    at least one run), so one slow side does not take a row over its budget."""
    ts = side.times[kind]
    spent = sum(ts)
    if len(ts) >= max_pairs or (budget and ts and spent >= budget):
        return False
    return len(ts) < repeats or max([spent] + others_spent) < min_seconds


def interleave(sides, kind, repeats, budget=None, max_pairs=MAX_PAIRS, min_seconds=MIN_SECONDS):
    """Runs `kind` on every side in turn, round after round, until each has
    `repeats` runs and the slowest side's add up to `min_seconds`; a side that
    has spent `budget` seconds on its runs stops early (`wanted`). A long
    first run counts as the first timed run (`Side.count_first`). Returns the
    rounds run."""
    for s in sides:
        s.count_first(kind)
    rounds = 0
    while True:
        spent = [sum(s.times[kind]) for s in sides]
        going = [s for i, s in enumerate(sides)
                 if wanted(s, kind, repeats, budget, min_seconds, max_pairs,
                           spent[:i] + spent[i + 1:])]
        if not going:
            return rounds
        for s in going:
            s.run(kind)
        rounds += 1


def start_all(specs, timeout):
    """Starts the sides [(name, cmd, env, err_path)], waits until each is ready."""
    sides = []
    try:
        for name, cmd, env, err in specs:
            sides.append(Side(name, cmd, env, err, timeout))
        for s in sides:
            s.wait_ready()
    except (SideError, OSError):
        for s in sides:
            s.kill()
        raise
    return sides


def now():
    return time.perf_counter()
