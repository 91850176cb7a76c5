/// The Python of the series notebook's line charts (`report --series --format ipynb`),
/// defined in the helpers cell after `NotebookPython.chartHelpers` (it uses `number` and
/// `percent`): the rules of `SVGLineChart` in matplotlib.
public enum NotebookSeriesPython {
    /// `line_chart(df, title, date, lines, metric, ...)`: pandas and matplotlib.
    public static let lineChartHelper = """
        import matplotlib.dates as mdates
        import pandas as pd


        def line_chart(df, title, date, lines, metric, value_is_percent=True, change=None, no_change=()):
            '''Lines over time by the report's rules: a time-proportional date axis, the metric (unit and
            denominator) on the value axis with thousands separators, a legend, each line with its own colour,
            dash and marker, its last value written at its end, dotted verticals where the input list changed.'''
            rows = df[df[date].notna()].reset_index(drop=True)
            if rows.empty:
                return
            when = pd.to_datetime(rows[date])
            fig, ax = plt.subplots(figsize=(10, 4.4))
            styles = [("#3b73b9", "-", "o"), ("#d9822b", "--", "s"), ("#2f9e5a", ":", "D"), ("#8e5ab5", "-.", "^")]
            top, ends = 0.0, []
            for i, (column, name) in enumerate(lines):
                color, dash, mark = styles[i % len(styles)]
                values = pd.to_numeric(rows[column], errors="coerce").astype(float)
                # matplotlib leaves labels starting with "_" out of the legend: a zero-width space keeps them.
                ax.plot(when, values, color=color, linestyle=dash, marker=mark, markersize=5, linewidth=2,
                        label=("\\u200b" + name) if name.startswith("_") else name)
                known = values.dropna()
                if not known.empty:
                    top = max(top, float(known.max()))
                    last = known.index[-1]
                    ends.append((when[last], float(known[last]), color))
            notes = []
            if change is not None:
                changed = rows[rows[change].notna() & (rows[change] != "") & ~rows[change].isin(list(no_change))]
                for _, row in changed.iterrows():
                    ax.axvline(pd.to_datetime(row[date]), color="#888", linestyle=(0, (2, 3)), linewidth=1)
                if not changed.empty:
                    notes.append(f"Dotted vertical lines: the input list changed ({len(changed)} of {len(rows)} scans). "
                                 "Rates compare across lists; counts do not.")
            upper = top * 1.12 if top > 0 else 1.0
            ax.set_ylim(0, min(upper, 105) if value_is_percent else upper)
            if value_is_percent:
                ax.set_yticks([t for t in ax.get_yticks() if 0 <= t <= 100])  # no tick past 100%
            ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: percent(y) if value_is_percent else number(y)))
            # Each line's last value at its end; labels never overlap (at least 11 points apart).
            previous = None
            for at, value, color in sorted(ends, key=lambda end: -end[1]):
                y = ax.transData.transform((mdates.date2num(at), value))[1] * 72 / fig.dpi
                placed = y if previous is None else min(y, previous - 11)
                previous = placed
                ax.annotate(percent(value) if value_is_percent else number(value), (at, value),
                            xytext=(6, placed - y), textcoords="offset points", va="center", color=color, fontsize=9)
            if when.nunique() == 1:  # one date: a week around it, not matplotlib's default span of years
                ax.set_xlim(when.iloc[0] - pd.Timedelta(days=3), when.iloc[0] + pd.Timedelta(days=3))
            # Whole dates, never an offset ("10 20 30" minutes + "2026-Dec-05 07:48"): a few points get a
            # tick each, with the time of day (and seconds, within two hours) when the series spans under two days.
            span = when.max() - when.min()
            fmt = ("%Y-%m-%d\\n%H:%M:%S UTC" if span < pd.Timedelta(hours=2) else "%Y-%m-%d\\n%H:%M UTC" if span < pd.Timedelta(days=2)
                   else "%Y-%m-%d" if span < pd.Timedelta(days=400) else "%Y-%m")
            if when.nunique() <= 8:
                ax.set_xticks(list(when.drop_duplicates()))
            else:
                ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=8))
            ax.xaxis.set_major_formatter(mdates.DateFormatter(fmt))
            ax.set_ylabel(metric)
            ax.set_xlabel("\\n".join(["scan start time (UTC), one point per scan"] + notes))
            ax.set_title(title, loc="left", fontweight="bold")
            ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(0, (-0.22 if notes else -0.16) - (0.07 if "\\n" in fmt else 0)), ncol=len(lines))
            ax.grid(axis="y", color="#e2e2e2")
            ax.set_axisbelow(True)
            ax.spines[["top", "right"]].set_visible(False)
            fig.tight_layout()
            plt.show()
        """
}
