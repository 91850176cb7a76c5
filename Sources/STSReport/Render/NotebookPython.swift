/// The Python the notebook's setup cell defines, kept here as text: the Public Suffix List
/// loader (`PublicSuffixes` in Python) and the matplotlib bar chart that follows the same
/// rules as `SVGBarChart` (metric and unit on the axis, thousands separators, count and
/// percent on every bar, Wilson whiskers, pale small groups, group headings).
public enum NotebookPython {
    /// `load_public_suffixes(con)`: standard library only.
    public static let publicSuffixLoader = """
        PUBLIC_SUFFIX_LIST = "/usr/share/publicsuffix/public_suffix_list.dat"


        def load_public_suffixes(con, path=PUBLIC_SUFFIX_LIST):
            '''The Public Suffix List as temp.public_suffix (rule 0 plain, 1 wildcard, 2 exception), as stsscan loads it.'''
            con.execute("CREATE TEMP TABLE IF NOT EXISTS public_suffix (suffix TEXT NOT NULL, rule INTEGER NOT NULL, "
                        "PRIMARY KEY (suffix, rule)) WITHOUT ROWID")
            try:
                with open(path, encoding="utf-8") as f:
                    lines = f.read().splitlines()
            except OSError:
                lines = []  # no list: every name is cut at its last two labels
            rules = set()
            for line in lines:
                words = line.split()
                if not words or words[0].startswith("//"):
                    continue
                name, kind = words[0], 0
                if name.startswith("!"):
                    name, kind = name[1:], 2
                elif name.startswith("*."):
                    name, kind = name[2:], 1
                try:
                    name = name.encode("idna").decode("ascii").lower()
                except UnicodeError:
                    continue
                rules.add((name, kind))
            con.executemany("INSERT OR IGNORE INTO public_suffix (suffix, rule) VALUES (?, ?)", sorted(rules))
        """

    /// `bar_chart(df, title, label, value, metric, ...)`: pandas and matplotlib.
    public static let chartHelpers = """
        import re

        import matplotlib.pyplot as plt
        from matplotlib.ticker import FuncFormatter


        def number(x):
            '''20,000; fractions keep up to two decimals.'''
            x = float(x)
            return f"{x:,.0f}" if x == round(x) else f"{x:,.2f}".rstrip("0").rstrip(".")


        def percent(x):
            return f"{float(x):.2f}".rstrip("0").rstrip(".") + "%"


        def display_label(text, domain_names=False):
            '''A bar label; A-labels of domain names also in Unicode: 'рф (xn--p1ai)'.'''
            text = "(none)" if text is None or text == "" else str(text)
            if domain_names and "xn--" in text:
                try:
                    unicode = text.encode("ascii").decode("idna")
                    if unicode != text:
                        text = f"{unicode} ({text})"
                except UnicodeError:
                    pass
            return wrap_label(text)


        def wrap_label(text, width=38):
            '''Lines of at most width characters, broken after dots, dashes and spaces: never cut mid-name.'''
            if len(text) <= width:
                return text
            parts = re.findall(r"[^.\\- ]*[.\\- ]?", text)
            lines, line = [], ""
            for part in filter(None, parts):
                if line and len(line) + len(part) > width:
                    lines.append(line)
                    line = ""
                while len(part) > width:
                    lines.append(part[:width])
                    part = part[width:]
                line += part
            return "\\n".join(lines + ([line] if line else []))


        def bar_chart(df, title, label, value, metric, percent_column=None, value_is_percent=False, log=False,
                      lower=None, upper=None, size=None, minimum_size=30, group=None, domain_names=False,
                      denominator=None):
            '''A horizontal bar chart by the report's rules: the axis states metric and unit with thousands
            separators (and the percents' one denominator, N), every bar carries its count and percent (or rate,
            Wilson 95% interval and n), groups under minimum_size are pale, group headings separate stages.
            log="auto": a log axis only when the bars span two orders of magnitude or more.'''
            rows = df[df[value].notna()].reset_index(drop=True)
            if rows.empty:
                return
            if log == "auto":
                positive = rows[value][rows[value] > 0].astype(float)
                log = not positive.empty and positive.max() >= 100 * positive.min()
            ticks, names, headings, positions, y, previous = [], [], set(), [], 0, object()
            for _, row in rows.iterrows():
                if group is not None and row[group] != previous:
                    previous = row[group]
                    ticks.append(y); names.append(display_label(previous)); headings.add(y); y += 1
                positions.append(y); ticks.append(y); names.append(display_label(row[label], domain_names)); y += 1
            values = rows[value].astype(float)
            small = [size is not None and row[size] < minimum_size for _, row in rows.iterrows()]
            extra = sum(name.count("\\n") for name in names)  # wrapped labels take more height
            fig, ax = plt.subplots(figsize=(10, 1.4 + 0.3 * y + 0.2 * extra))
            if log:
                ax.set_xscale("log")
            ax.barh(positions, values, height=0.7, color=["#c5d3e6" if s else "#3b73b9" for s in small])
            ends = values.copy()
            if lower is not None and upper is not None:
                ax.errorbar(values, positions, xerr=[values - rows[lower].astype(float), rows[upper].astype(float) - values],
                            fmt="none", ecolor="#222", capsize=3, linewidth=1)
                ends = rows[upper].astype(float)
            ax.set_yticks(ticks, names)
            for tick, text in zip(ticks, ax.get_yticklabels()):
                if tick in headings:
                    text.set_fontweight("bold")
            ax.invert_yaxis()
            for i, (_, row) in enumerate(rows.iterrows()):
                text = percent(row[value]) if value_is_percent else number(row[value])
                if lower is not None and upper is not None:
                    text += f" [{number(row[lower])}\\u2013{percent(row[upper])}]"
                if percent_column is not None and row[percent_column] == row[percent_column]:
                    text += f" ({percent(row[percent_column])})"
                if size is not None:
                    text += f", n={number(row[size])}"
                if small[i]:
                    text += ", small"
                ax.annotate(text, (max(ends[i], 1 if log else 0), positions[i]), xytext=(4, 0),
                            textcoords="offset points", va="center", fontsize=9)
            top = max(float(ends.max()), 1.0)
            if log:
                ax.set_xlim(0.8, top * 30)
            else:
                ax.set_xlim(0, top * 1.45)
            if value_is_percent and not log:
                ax.set_xticks([t for t in ax.get_xticks() if 0 <= t <= 100])  # room for labels, no tick past 100%
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: percent(x) if value_is_percent else number(x)))
            notes = []
            if lower is not None:
                notes.append("Whiskers: Wilson 95% confidence interval.")
            if any(small):
                notes.append(f"Pale bars: fewer than {minimum_size:,} domains, too few for a stable rate.")
            title_line = metric + (" (log scale)" if log else "")
            if denominator is not None and rows[denominator].nunique() == 1:
                title_line += "; N = " + number(rows[denominator].iloc[0])
            ax.set_xlabel("\\n".join([title_line] + notes))
            ax.set_title(title, loc="left", fontweight="bold")
            ax.grid(axis="x", color="#e2e2e2")
            ax.set_axisbelow(True)
            ax.spines[["top", "right"]].set_visible(False)
            fig.tight_layout()
            plt.show()
        """

    /// `cdf_chart(df, title, x, cumulative, count, x_title, metric)`: the rules of `SVGCDFChart`.
    public static let cdfChartHelper = """
        DURATION_TICKS = [(1, "1 s"), (60, "1 min"), (3600, "1 h"), (86400, "1 d"), (604800, "1 w"),
                          (2592000, "30 d"), (15778800, "6 mo"), (31557600, "1 y")]


        def duration(seconds):
            seconds = float(seconds)
            for unit, name in ((86400, "d"), (3600, "h"), (60, "min")):
                if seconds >= unit:
                    return f"{number(seconds / unit)} {name}"
            return f"{number(seconds)} s"


        def cdf_chart(df, title, x, cumulative, count, x_title, metric):
            '''A cumulative distribution by the report's rules: a step at every distinct value up to the share at or
            below it, a log value axis labelled in minutes, hours, days and years, steps of 10 points or more
            labelled, the population's size (N) stated.'''
            rows = df[df[x].notna()].reset_index(drop=True)
            if rows.empty:
                return
            values = rows[x].astype(float).clip(lower=1)
            shares = rows[cumulative].astype(float)
            low = max([t for t, _ in DURATION_TICKS if t <= values.min()], default=1)
            high = max(min([t for t, _ in DURATION_TICKS if t >= values.max()], default=values.max()), low * 10)
            fig, ax = plt.subplots(figsize=(10, 4.2))
            ax.step([low] + list(values) + [high], [0.0] + list(shares) + [shares.iloc[-1]], where="post",
                    color="#3b73b9", linewidth=2)
            ax.plot(values, shares, "o", color="#3b73b9", markersize=4)
            ax.set_xscale("log")
            ax.set_xlim(low, high)
            ax.set_ylim(0, 102)
            shown = [(t, name) for t, name in DURATION_TICKS if low <= t <= high]
            ax.set_xticks([t for t, _ in shown], [name for _, name in shown])
            ax.minorticks_off()
            ax.set_yticks(range(0, 101, 20))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:.0f}%"))
            previous, last_x = 0.0, None
            for value, share in zip(values, shares):
                if share - previous >= 10 and (last_x is None or value / last_x >= 2.5):
                    ax.annotate(f"{duration(value)}: {percent(share)}", (value, share), xytext=(-5, 4),
                                textcoords="offset points", ha="right", fontsize=9)
                    last_x = value
                previous = share
            ax.set_xlabel(f"{x_title}; N = {number(rows[count].sum())}")
            ax.set_ylabel(metric)
            ax.set_title(title, loc="left", fontweight="bold")
            ax.grid(color="#e2e2e2")
            ax.set_axisbelow(True)
            ax.spines[["top", "right"]].set_visible(False)
            fig.tight_layout()
            plt.show()
        """
}
