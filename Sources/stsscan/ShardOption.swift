import ArgumentParser
import STSScanner

/// `--shard K/N`, shared by `scan` and `world scan`.
struct ShardOption: ParsableArguments {
    @Option(name: .customLong("shard"),
            help: ArgumentHelp("Scan only part K (0-based) of the list split N ways, e.g. 0/4 ... 3/4 in four processes; "
                               + "a domain's part is a stable hash of its name (docs/sharding.md). Merge the parts' "
                               + "databases with `stsscan merge`.", valueName: "K/N"),
            transform: { text in
                guard let shard = Shard(text) else {
                    throw ValidationError("--shard '\(text)': expected K/N with 0 <= K < N <= \(Shard.maxCount), e.g. 0/4")
                }
                return shard
            })
    var shard: Shard?
}
