"""Background jobs on huey: the @job decorator, the queue built per app, failures kept for the admin.

A module registers a task with `@job(...)` (or `@periodic(...)`) and is listed in
`marketplace.jobs.queue.JOB_MODULES`; callers enqueue with `task.delay(ids...)` after their commit.
"""

from marketplace.jobs.registry import DailyAt, Every, Job, job, periodic, run_again_at

__all__ = ["DailyAt", "Every", "Job", "job", "periodic", "run_again_at"]
