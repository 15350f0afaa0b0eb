"""A bare Flask "hello" application: the floor that bench/cases.py compares the case list with."""
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
