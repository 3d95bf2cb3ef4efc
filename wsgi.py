"""Entry point for gunicorn (`wsgi:app`) and the flask CLI; also wires `flask worker`."""

from app import create_app
from workers.cli import worker_command

app = create_app()
app.cli.add_command(worker_command)
