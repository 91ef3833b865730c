"""``DurationQuery`` in ClickHouse's dialect (shared by the ClickHouse and chDB adapters, like
``clickhouse_sql``): each thing's first beginning and first end joined on its key, the whole
seconds between (milliseconds floored), and the nearest-rank percentile of each bucket, computed
with integers so it is the memory store's to the second."""

from __future__ import annotations

from devforge.adapters.analytics.clickhouse_sql import BUCKETS, condition, dimension, literal, moment
from devforge.domain.analytics.durations import DurationQuery


def durations_sql(database: str, query: DurationQuery) -> str:
    """Rows ``[bucket epoch seconds, breakdown, seconds]``, ordered by bucket then breakdown."""
    key, split = dimension(query.key), dimension(query.breakdown) if query.breakdown else "''"
    before_end = f"timestamp < {moment(query.end)}"
    ended_where = " AND ".join(
        [f"event = {literal(query.ended)}", before_end, *(condition(each) for each in query.ended_filters)]
    )
    ended = (
        f"SELECT {key} AS thing, min(timestamp) AS at, argMin({split}, timestamp) AS split "  # noqa: S608
        f"FROM {database}.events FINAL WHERE {ended_where} GROUP BY thing"
    )
    began = (
        f"SELECT {key} AS thing, min(timestamp) AS began FROM {database}.events FINAL "  # noqa: S608
        f"WHERE event = {literal(query.began)} AND {before_end} GROUP BY thing"
    )
    seconds = "intDiv(toUnixTimestamp64Milli(e.at) - toUnixTimestamp64Milli(b.began), 1000)"
    paired = (
        f"SELECT e.at AS timestamp, e.split AS split, {seconds} AS seconds "  # noqa: S608
        f"FROM ({ended}) AS e INNER JOIN ({began}) AS b ON e.thing = b.thing "
        f"WHERE e.at >= {moment(query.start)} AND b.began <= e.at"
    )
    rank = f"toUInt64(greatest(1, intDiv({int(query.percent)} * count() + 99, 100)))"
    select = (
        f"SELECT toUnixTimestamp({BUCKETS[query.interval]}) AS bucket, split, "
        f"toInt64(arrayElement(arraySort(groupArray(seconds)), {rank})) AS value"
    )
    budget = f" SETTINGS max_execution_time = {query.budget_seconds:.3f}" if query.budget_seconds else ""
    return f"{select} FROM ({paired}) GROUP BY bucket, split ORDER BY bucket, split{budget}"
