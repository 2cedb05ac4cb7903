"""Serve the pipeline as a deployment named "demo".

This process keeps running: it registers the deployment with the Prefect
server, then polls for runs of it and executes them. Stop it with Ctrl-C.
"""

from pipeline_requests import pipeline

if __name__ == "__main__":
    pipeline.serve(name="demo")
