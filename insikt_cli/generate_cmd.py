"""`insikt generate`: write synthetic datasets at a chosen scale (loaders.generator)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("generate")
@click.option("--scale", type=click.IntRange(min=1), default=1, show_default=True,
              help="Scale N: N × the seed's 38 specific insights, over all agencies.")
@click.option("--seed", type=int, default=7, show_default=True,
              help="Random seed: the same seed and options give the same files.")
@click.option("-o", "--output", required=True, type=click.Path(file_okay=False),
              help="A new or empty folder: the dataset itself, or with --datasets K > 1 one "
              "folder per dataset and agency-mapping.json.")
@click.option("--register", type=click.Path(dir_okay=False), default=None,
              help="ESV's register (esv.json) for real agency names and org nrs (default: the "
              "file in INSIKT_REGISTER; without one, 365 made-up agencies).")
@click.option("--synthetic-agencies", is_flag=True,
              help="Make agencies up even when INSIKT_REGISTER names a register.")
@click.option("--datasets", type=click.IntRange(min=1, max=50), default=1, show_default=True,
              help="Split the content over K datasets that name shared agencies differently.")
@click.option("--id", "dataset_id", default="generated", show_default=True,
              help="Dataset id (with --datasets K: ID-1 … ID-K).")
@click.option("--no-check", is_flag=True,
              help="Skip validating the written folders (faster at large scales).")
def generate(scale: int, seed: int, output: str, register: str | None,
             synthetic_agencies: bool, datasets: int, dataset_id: str, no_check: bool) -> None:
    """Write a synthetic dataset (or several) at a chosen scale, for tests and benchmarks.

    The content follows a realistic skew: a few problems are reported by many agencies,
    most by one or two; with life events, domains, sources, principles and journeys. All of
    it is marked illustrative, except agency names and org nrs taken from the register.
    With --datasets K, the datasets name shared agencies differently (other ids, short or
    English names, with or without org nr); each is valid alone, but loading them together
    may be refused by the one-org-nr-one-agency rule. Progress goes to stderr, the summary
    (entries per file) to stdout. See docs/generator.md.

    \b
    Example:
      insikt generate --scale 10 --seed 7 -o /tmp/scale-10
      insikt generate --scale 2 --datasets 3 --register esv.json -o /tmp/three
    """
    from graph.settings import get_settings
    from loaders.generator import generate as run

    if register and synthetic_agencies:
        raise click.UsageError("give either --register or --synthetic-agencies, not both")
    path: Path | None = Path(register) if register else get_settings().register_path
    if synthetic_agencies:
        path = None
    report = run(output, scale, seed, path, datasets=datasets, dataset_id=dataset_id,
                 check=not no_check, progress=lambda msg: click.echo(msg, err=True))
    click.echo(report.summary())
