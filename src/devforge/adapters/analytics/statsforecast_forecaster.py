"""The production forecaster: Nixtla's statsforecast AutoETS with a weekly season, which picks
the error, trend and season forms by AICc and answers a prediction interval at the level asked.

statsforecast (with scipy and statsmodels) is imported on the first forecast, not with the
application: it costs a process about 100 MiB and several seconds, and only the worker's
forecast job needs it (the API serves stored forecasts)."""

from __future__ import annotations

from collections.abc import Sequence

from devforge.domain.analytics.forecasting import Band, HistoryTooShort

SEASON = 7


class StatsForecastForecaster:
    name = "AutoETS"

    def forecast(self, history: Sequence[float], horizon: int, level: int) -> Band:
        if len(history) < 2 * SEASON:
            raise HistoryTooShort(f"{len(history)} days: a weekly model needs {2 * SEASON}")
        import numpy as np
        from statsforecast.models import AutoETS

        fitted = AutoETS(season_length=SEASON).fit(np.asarray(history, dtype=np.float64))
        answer = fitted.predict(h=horizon, level=[level])
        mean = [float(v) for v in answer["mean"]]
        low = [min(float(v), m) for v, m in zip(answer[f"lo-{level}"], mean, strict=True)]
        high = [max(float(v), m) for v, m in zip(answer[f"hi-{level}"], mean, strict=True)]
        return Band(tuple(mean), tuple(low), tuple(high))
