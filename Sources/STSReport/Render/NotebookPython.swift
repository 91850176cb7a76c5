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
            return text if len(text) <= 38 else text[:35] + "..."


        def bar_chart(df, title, label, value, metric, percent_column=None, value_is_percent=False, log=False,
                      lower=None, upper=None, size=None, minimum_size=30, group=None, domain_names=False):
            '''A horizontal bar chart by the report's rules: the axis states metric and unit with thousands
            separators, every bar carries its count and percent (or rate, Wilson 95% interval and n), groups
            under minimum_size are pale, group headings separate stages.'''
            rows = df[df[value].notna()].reset_index(drop=True)
            if rows.empty:
                return
            ticks, names, headings, positions, y, previous = [], [], set(), [], 0, object()
            for _, row in rows.iterrows():
                if group is not None and row[group] != previous:
                    previous = row[group]
                    ticks.append(y); names.append(display_label(previous)); headings.add(y); y += 1
                positions.append(y); ticks.append(y); names.append(display_label(row[label], domain_names)); y += 1
            values = rows[value].astype(float)
            small = [size is not None and row[size] < minimum_size for _, row in rows.iterrows()]
            fig, ax = plt.subplots(figsize=(10, 1.4 + 0.3 * y))
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
            ax.set_xlabel("\\n".join([metric + (" (log scale)" if log else "")] + notes))
            ax.set_title(title, loc="left", fontweight="bold")
            ax.grid(axis="x", color="#e2e2e2")
            ax.set_axisbelow(True)
            ax.spines[["top", "right"]].set_visible(False)
            fig.tight_layout()
            plt.show()
        """
}
