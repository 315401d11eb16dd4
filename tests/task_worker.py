"""Run a task as a cluster's worker and monitor do, in this process: the tests' synchronous queue raises a failure
rather than record it, and sends none of the signals a worker sends after a failure."""

from multiprocessing import Queue, Value
from unittest import mock

from django_q.models import Task
from django_q.monitor import monitor
from django_q.signing import SignedPackage
from django_q.tasks import async_task
from django_q.worker import worker


def run_in_worker(func: str, *args, **kwargs) -> Task:
    """Queue ``func`` (a dotted path) with ``args`` and ``kwargs`` (django-q2's options among them), run it in a
    worker and record it; its Task row."""
    broker = mock.Mock()
    task_id = async_task(func, *args, sync=False, broker=broker, **kwargs)
    tasks, results = Queue(), Queue()
    tasks.put(SignedPackage.loads(broker.enqueue.call_args.args[0]))
    tasks.put("STOP")
    worker(tasks, results, Value("f", -1))
    results.put("STOP")
    monitor(results, broker=broker)
    return Task.objects.get(id=task_id)
