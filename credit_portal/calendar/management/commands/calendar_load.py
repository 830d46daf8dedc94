from django.core.management.base import BaseCommand

from credit_portal.calendar.services import calendar_load_library


class Command(BaseCommand):
    help = "Load the official holidays and make-up working days that chinesecalendar knows."

    def handle(self, *args, **options):
        years = calendar_load_library()
        self.stdout.write(f"loaded {len(years)} years: {years[0]}-{years[-1]}" if years else "none")
