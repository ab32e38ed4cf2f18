"""seed_demo: a demo province — regions, ≥106 points, a user per role, and a year of activity.

Each part of the domain seeds itself in its own module (warning/demo/*.py,
subsites/demo.py), in the order the chain needs: points and users first,
then their subsite pages, reports through the review workflow, periodic
reports. Every step is idempotent, so running the command twice changes
nothing. Randomness is seeded, so every machine gets the same province.
"""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

STEPS = [
    "warning.demo.points",
    "subsites.demo",
    "warning.demo.reports",
    "warning.demo.periodic",
    "warning.demo.notices",
]


class Command(BaseCommand):
    help = "生成演示数据：地区、预警点、各角色演示用户及一年的业务数据（可重复执行）"

    def handle(self, *args, **options):
        for name in STEPS:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            with transaction.atomic():
                module.run(self.stdout)
        from warning.demo.points import print_logins

        print_logins(self.stdout)
