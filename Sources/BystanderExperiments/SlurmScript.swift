import Foundation

/// A submission script for a sharded sweep on a Slurm cluster: an array job (one task per
/// shard) and a merge job that runs once every shard succeeded (`--dependency=afterok`).
public enum SlurmScript {
    public static func render(executable: String, config: String, shards: Int, output: String,
                              partition: String, time: String, memory: String, cpus: Int, name: String) -> String {
        let shardDir = output + ".shards"
        return """
        #!/usr/bin/env bash
        # Run the sweep \(config) as a Slurm array job of \(shards) shards, then merge the
        # shards into \(output) (byte-identical to a single-machine sweep).
        # Submit with:  bash \((output as NSString).lastPathComponent)-submit.sh   (or however you saved this script)
        # Edit the settings below; they become the #SBATCH lines of the two job scripts.
        # With SBATCH_WAIT=1 in the environment, this script waits until the merge job has
        # finished and exits with its status (non-zero if a shard or the merge failed).
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
        # Run first in each job: a node without the libraries the binary needs fails at once,
        # saying which, instead of every shard failing with the loader's message alone.
        preflight='if ! problem=$("$BYSTANDER" --version 2>&1 >/dev/null); then
            echo "error: $BYSTANDER does not start on $(hostname): $problem" >&2
            ldd "$BYSTANDER" 2>/dev/null | grep "not found" >&2
            echo "build a self-contained binary with make dist (dist/bystander: Swift runtime and GSL linked in) and point the script at it" >&2
            exit 2
        fi'
        partition_line=""
        if [ -n "$PARTITION" ]; then partition_line="#SBATCH --partition=$PARTITION"; fi

        cat > "$SHARD_DIR/shard.sbatch" <<JOB
        #!/usr/bin/env bash
        #SBATCH --job-name=$JOB_NAME
        #SBATCH --array=0-$((SHARDS - 1))
        #SBATCH --cpus-per-task=$CPUS
        #SBATCH --mem=$MEMORY
        #SBATCH --time=$TIME
        #SBATCH --output=$SHARD_DIR/logs/shard-%a.out
        $partition_line
        BYSTANDER=$(printf %q "$BYSTANDER")
        $preflight
        # bystander reads SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT as --shard I/N.
        # A shard that is killed resumes where it stopped when it is run again.
        exec "$BYSTANDER" sweep "$CONFIG" --output "$SHARD_DIR/\\$SLURM_ARRAY_TASK_ID" --jobs $CPUS --progress lines
        JOB

        cat > "$SHARD_DIR/merge.sbatch" <<JOB
        #!/usr/bin/env bash
        #SBATCH --job-name=$JOB_NAME-merge
        #SBATCH --cpus-per-task=1
        #SBATCH --mem=$MEMORY
        #SBATCH --time=$TIME
        #SBATCH --output=$SHARD_DIR/logs/merge.out
        # If a shard fails, afterok can never be satisfied: cancel this job then, rather than
        # leave it pending forever (DependencyNeverSatisfied).
        #SBATCH --kill-on-invalid-dep=yes
        $partition_line
        BYSTANDER=$(printf %q "$BYSTANDER")
        $preflight
        exec "$BYSTANDER" merge "$OUTPUT" $(for i in $(seq 0 $((SHARDS - 1))); do printf '"%s/%s" ' "$SHARD_DIR" "$i"; done)
        JOB

        # sbatch itself reads SBATCH_WAIT: keep it from the array submission, so both jobs are
        # queued at once and only the merge job is waited for.
        array_job=$(env -u SBATCH_WAIT sbatch --parsable "$SHARD_DIR/shard.sbatch")
        array_job=${array_job%%;*}
        if [ -n "${SBATCH_WAIT:-}" ]; then
            echo "submitted array job $array_job ($SHARDS shards); waiting for the merge job (SBATCH_WAIT is set)"
            status=0
            merge_job=$(env -u SBATCH_WAIT sbatch --parsable --wait --dependency=afterok:$array_job "$SHARD_DIR/merge.sbatch") || status=$?
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
            merge_job=$(sbatch --parsable --dependency=afterok:$array_job "$SHARD_DIR/merge.sbatch")
            merge_job=${merge_job%%;*}
            echo "submitted array job $array_job ($SHARDS shards) and merge job $merge_job"
            echo "merged results will be in $OUTPUT"
        fi

        """
    }

    static func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}
