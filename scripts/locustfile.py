"""The load test `make bench` runs: every simulated officer asks for one page, again and
again with no pause, signed in with the session cookie the bench made.

    BENCH_PATH=/officer/groups/ BENCH_COOKIE="sessionid=..." \\
        locust -f scripts/locustfile.py --headless -u 20 -r 20 -t 60s --host http://127.0.0.1:8123
"""

import os

from locust import constant
from locust.contrib.fasthttp import FastHttpUser
from locust.user.task import task


class Officer(FastHttpUser):
    wait_time = constant(0)

    @task
    def page(self):
        self.client.get(os.environ["BENCH_PATH"], headers={"Cookie": os.environ["BENCH_COOKIE"]})
