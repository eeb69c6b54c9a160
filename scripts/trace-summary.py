#!/usr/bin/env python3
"""Where the time goes in a dotnet-trace sample profile of a lock benchmark run (see docs/benchmarks.md, Locks).

Usage:
  dotnet-trace collect -p <pid> --profile dotnet-sampled-thread-time --duration 00:00:00:12 -o silo.nettrace
  dotnet-trace convert --format speedscope silo.nettrace -o silo.json      # writes silo.speedscope.json
  scripts/trace-summary.py silo.speedscope.json [more.speedscope.json ...]

The sampled-thread-time profile samples every managed thread about 100 times a second, running or not. Threads
parked in native waits (epoll, idle thread-pool workers, timers) are dropped as idle. What remains is "busy" thread
time: on an overloaded machine it includes time a runnable thread waits for a core, so read the shares, not the
seconds. Thread-pool workers spinning before they park and threads waiting for a GC to finish are reported apart;
"work" is busy time without them. Groups are inclusive (a sample counts for every group on its stack) and overlap.
"""
import collections
import json
import re
import sys

IDLE = re.compile(
    r'SocketAsyncEngine\.EventLoop|LowLevelLifoSemaphore\.WaitForSignal|Monitor\.Wait|WaitHandle|Thread\.Sleep|'
    r'WaitOneCore|ManualResetEventSlim\.Wait|SemaphoreSlim\.Wait|TimerQueue\.TimerThread|GateThread|'
    r'SpinThenBlockingWait|InternalWaitCore|Interop\+Sys\.Read|WaitPid|PollForValues|RunPlatformWatchdog|'
    r'EventPipe|Thread\.Join|LowLevelMonitor|WaitSubsystem|WorkerThreadStart\(\)$')
MARKERS = ('CPU_TIME', 'UNMANAGED_CODE_TIME', '?!?', 'Threads', '(Non-Activities)')
SPIN = 'thread-pool workers spinning before they park'
GC_WAIT = 'threads waiting for a GC (PollGC)'
GROUPS = [
    (SPIN, r'LowLevelLifoSemaphore\.Wait\('),
    (GC_WAIT, r'PollGCWorker'),
    ('grain storage write, all of it', r'StateStorageBridge`1\+<WriteStateCoreAsync>'),
    ('  JSON serialization of the state (Newtonsoft)', r'JsonGrainStorageSerializer\.Serialize'),
    ('  deep copy of the state for the memory storage grain call', r'Copier_GrainState'),
    ('  Npgsql', r'^Npgsql!'),
    ('  TLS to PostgreSQL (SslStream)', r'SslStream'),
    ('Orleans socket send/receive', r'Orleans\.Networking\.Shared|Orleans\.Runtime\.Messaging\.Connection'),
    ('Orleans message dispatch and activation turns', r'ActivationData\.InvokeIncomingRequest|ActivationData\+<RunMessageLoop>|WorkItemGroup\.Execute'),
    ('lock grain code outside storage (LeaseGrainBase, LeaseBook)', r'OrleansSync\.Locks\.Lease'),
    ('lock client (LeaseClient, LeaseHandle, incl. the calls they start)', r'OrleansSync\.Client\.Locks'),
    ('  exception throw/catch', r'System\.Runtime\.EH\.|DispatchEx'),
    ('  grain interface lookup by attributes (GetGrain)', r'Orleans\.GrainFactory\.GetGrain'),
    ('benchmark loop', r'OrleansSync\.Benchmarks'),
]
PATTERNS = [(name, re.compile(pattern)) for name, pattern in GROUPS]


def summarise(path):
    data = json.load(open(path))
    frames = [f['name'] for f in data['shared']['frames']]
    busy = 0.0
    totals = collections.Counter()
    for profile in data['profiles']:
        stack, last = [], profile['startValue']
        for event in profile['events']:
            elapsed, last = event['at'] - last, event['at']
            if stack and elapsed > 0:
                names = [frames[i] for i in stack]
                managed = [n for n in names if n not in MARKERS and not n.startswith(('Thread (', 'Process'))]
                parked = names[-1] == 'UNMANAGED_CODE_TIME' and managed and IDLE.search(managed[-1])
                if managed and not parked:
                    busy += elapsed
                    in_storage = any('StateStorageBridge' in n for n in managed)
                    for name, pattern in PATTERNS:
                        if name.startswith('lock grain') and in_storage:
                            continue
                        if any(pattern.search(n) for n in managed):
                            totals[name] += elapsed
            if event['type'] == 'O':
                stack.append(event['frame'])
            else:
                stack.pop()
    work = busy - totals[SPIN] - totals[GC_WAIT]
    print(f'{path}: busy {busy / 1000:.1f} s, work {work / 1000:.1f} s')
    for name, _ in GROUPS:
        if totals[name]:
            share = '' if name in (SPIN, GC_WAIT) else f'{100 * totals[name] / work:5.1f}% of work'
            print(f'  {100 * totals[name] / busy:5.1f}% of busy  {share:>16}  {name}')


if __name__ == '__main__':
    for trace in sys.argv[1:]:
        summarise(trace)
