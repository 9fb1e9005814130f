import Foundation

/// A submission script for a sharded sweep on a Slurm cluster: an array job (one task per
/// shard) and a merge job that runs once every shard succeeded (`--dependency=afterok`).
///
/// Nothing given is ever pasted into shell code: every value is checked (no control
/// characters in paths, Slurm settings from a narrow alphabet), assigned once, single-quoted,
/// at the top of the script, and reaches the job scripts as their arguments. The job scripts
/// are fixed text, written through quoted here-documents; no value becomes an #SBATCH line.
public enum SlurmScript {
    /// The most array tasks a script asks for (clusters cap it lower with MaxArraySize).
    public static let maximumShards = 100_000

    /// Why the values cannot go into a script, or nil.
    public static func problem(executable: String, config: String, shards: Int, output: String,
                               partition: String, time: String, memory: String, cpus: Int, name: String) -> String? {
        for (option, path) in [("the executable path", executable), ("the config path", config), ("--output", output)] {
            if let p = ExperimentConfig.pathProblem(path) { return "\(option) \(p)" }
        }
        if output.contains("%") { return "--output must not contain '%' (Slurm reads it as a pattern in log file names)" }
        if !(1...maximumShards).contains(shards) { return "--shards must be between 1 and \(maximumShards)" }
        if !(1...RunOptions.maximumJobs).contains(cpus) { return "--cpus must be between 1 and \(RunOptions.maximumJobs)" }
        if let p = ExperimentConfig.nameProblem(name) { return "the job name \(p)" }
        let only = { (text: String, allowed: String) in text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || allowed.unicodeScalars.contains($0)) } }
        if !only(partition, "_.,-") { return "--partition must be Slurm partition names (letters, digits, '_', '.', '-', commas), got '\(clip(partition, 60))'" }
        if time.isEmpty || !(time.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ":" || $0 == "-") } || ["UNLIMITED", "INFINITE"].contains(time)) {
            return "--time must be a Slurm time such as 04:00:00, 90 or 1-12:00:00, got '\(clip(time, 60))'"
        }
        if memory.range(of: "^[0-9]+[KMGTkmgt]?$", options: .regularExpression) == nil { return "--memory must be a Slurm size such as 2G or 500M, got '\(clip(memory, 60))'" }
        return nil
    }

    public static func render(executable: String, config: String, shards: Int, output: String,
                              partition: String, time: String, memory: String, cpus: Int, name: String) throws -> String {
        if let p = problem(executable: executable, config: config, shards: shards, output: output, partition: partition,
                           time: time, memory: memory, cpus: cpus, name: name) { throw OutputError(p) }
        let shardDir = output + ".shards"
        return """
        #!/usr/bin/env bash
        # Run a bystander sweep as a Slurm array job of shards, then merge the shards into
        # OUTPUT (byte-identical to a single-machine sweep). Submit with:  bash THIS_SCRIPT
        # Edit the settings below; they become options of the two sbatch commands.
        # With SBATCH_WAIT=1 in the environment, this script waits until the merge job has
        # finished and exits with its status (non-zero if a shard or the merge failed).
        # A requeued shard resumes where it stopped; one that finished verifies its files.
        # The nodes need no Swift toolchain if BYSTANDER is a binary from `make dist` (the Swift
        # runtime and GSL linked in); a binary from `swift build` needs the toolchain's shared
        # libraries on every node. Each job checks first that the binary starts on its node,
        # and fails with the missing libraries named if it does not.
        set -euo pipefail

        BYSTANDER=\(shellQuote(executable))
        CONFIG=\(shellQuote(config))
        OUTPUT=\(shellQuote(output))
        SHARD_DIR=\(shellQuote(shardDir))
        SHARDS=\(shards)
        JOB_NAME=\(shellQuote(name))
        PARTITION=\(shellQuote(partition))   # empty: the cluster's default partition
        TIME=\(shellQuote(time))            # wall time per shard
        MEMORY=\(shellQuote(memory))        # memory per shard
        CPUS=\(cpus)                        # threads per shard (bystander sweep --jobs)

        if ! problem=$("$BYSTANDER" --version 2>&1 >/dev/null); then
            echo "error: $BYSTANDER does not start here: $problem" >&2
            echo "build a self-contained binary with 'make dist' (dist/bystander) and set BYSTANDER to it" >&2
            exit 2
        fi
        mkdir -p "$SHARD_DIR/logs"
        settings=(--mem="$MEMORY" --time="$TIME")
        if [ -n "$PARTITION" ]; then settings+=(--partition="$PARTITION"); fi

        # The job scripts are fixed text; the values reach them as arguments.
        cat > "$SHARD_DIR/shard.sbatch" <<'JOB'
        #!/usr/bin/env bash
        # Arguments: BYSTANDER CONFIG SHARD_DIR CPUS.
        \(jobPreflight)
        # bystander reads SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT as --shard I/N.
        exec "$1" sweep "$2" --output "$3/$SLURM_ARRAY_TASK_ID" --jobs "$4" --progress lines
        JOB

        cat > "$SHARD_DIR/merge.sbatch" <<'JOB'
        #!/usr/bin/env bash
        # Arguments: BYSTANDER OUTPUT SHARD_DIR SHARDS.
        \(jobPreflight)
        shards=()
        for ((i = 0; i < $4; i++)); do shards+=("$3/$i"); done
        exec "$1" merge "$2" "${shards[@]}"
        JOB

        # sbatch itself reads SBATCH_WAIT: keep it from the array submission, so both jobs are
        # queued at once and only the merge job is waited for.
        array_job=$(env -u SBATCH_WAIT sbatch --parsable --job-name="$JOB_NAME" --array="0-$((SHARDS - 1))" \\
            --cpus-per-task="$CPUS" "${settings[@]}" --output="$SHARD_DIR/logs/shard-%a.out" \\
            "$SHARD_DIR/shard.sbatch" "$BYSTANDER" "$CONFIG" "$SHARD_DIR" "$CPUS")
        array_job=${array_job%%;*}
        # If a shard fails, afterok can never be satisfied: --kill-on-invalid-dep cancels the
        # merge job then, rather than leave it pending forever (DependencyNeverSatisfied).
        merge=(--parsable --dependency="afterok:$array_job" --kill-on-invalid-dep=yes --job-name="$JOB_NAME-merge"
               --cpus-per-task=1 "${settings[@]}" --output="$SHARD_DIR/logs/merge.out")
        merge_args=("$SHARD_DIR/merge.sbatch" "$BYSTANDER" "$OUTPUT" "$SHARD_DIR" "$SHARDS")
        if [ -n "${SBATCH_WAIT:-}" ]; then
            echo "submitted array job $array_job ($SHARDS shards); waiting for the merge job (SBATCH_WAIT is set)"
            status=0
            merge_job=$(env -u SBATCH_WAIT sbatch "${merge[@]}" --wait "${merge_args[@]}") || status=$?
            merge_job=${merge_job%%;*}
            # sbatch --wait exits with 0 for a job cancelled before it started (a failed shard):
            # ask Slurm for the merge job's final state.
            state=$(scontrol show job "$merge_job" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -n 1 | cut -d= -f2 || true)
            if [ "$status" -ne 0 ] || { [ -n "$state" ] && [ "$state" != COMPLETED ]; } || [ ! -f "$OUTPUT/runs.csv" ]; then
                echo "error: merge job $merge_job did not complete (state: ${state:-unknown}, sbatch exit status $status); see $SHARD_DIR/logs" >&2
                exit 1
            fi
            echo "merge job $merge_job completed; merged results are in $OUTPUT"
        else
            merge_job=$(sbatch "${merge[@]}" "${merge_args[@]}")
            merge_job=${merge_job%%;*}
            echo "submitted array job $array_job ($SHARDS shards) and merge job $merge_job"
            echo "merged results will be in $OUTPUT"
        fi

        """
    }

    /// Run first in each job (fixed text; "$1" is the binary): a node without the libraries
    /// the binary needs fails at once, saying which, instead of every shard failing with the
    /// loader's message alone.
    static let jobPreflight = #"""
        if ! problem=$("$1" --version 2>&1 >/dev/null); then
            echo "error: $1 does not start on $(hostname): $problem" >&2
            ldd "$1" 2>/dev/null | grep "not found" >&2
            echo "build a self-contained binary with make dist (dist/bystander: Swift runtime and GSL linked in) and point the script at it" >&2
            exit 2
        fi
        """#

    static func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
