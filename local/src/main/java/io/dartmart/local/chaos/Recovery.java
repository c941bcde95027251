package io.dartmart.local.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How long the platform took to make progress again after each fault. For an engine killed or paused while it held
 * actions, until the last of those actions was finished (by any engine); for any other fault, or an idle engine,
 * until the next action anywhere was finished.
 */
final class Recovery {
    private final HolderRecord holders;
    private final Map<Long, ProcessSupervisor.Life> lives;
    private final List<Instant> progress;

    Recovery(HolderRecord holders, Map<Long, ProcessSupervisor.Life> lives, List<Instant> progress) {
        this.holders = holders;
        this.lives = lives;
        this.progress = progress;
    }

    /** The fault's recovery time; empty when nothing was finished after it. */
    Optional<Duration> of(FaultInjector.Fault fault) {
        Optional<Long> pid = lives.values().stream().filter(l -> l.name.equals(fault.target())
                && !l.started.isAfter(fault.at()) && (l.ended == null || !l.ended.isBefore(fault.at())))
                .map(l -> l.pid).findFirst();
        List<String> held = new ArrayList<>();
        pid.ifPresent(p -> holders.holdsByAction.forEach((action, holds) -> {
            if (holds.stream().anyMatch(h -> h.pid() == p && !h.start().isAfter(fault.at())
                    && (h.end() == null || h.end().isAfter(fault.at())))) {
                held.add(action);
            }
        }));
        if (held.isEmpty()) {
            int i = Collections.binarySearch(progress, fault.at());
            int next = i >= 0 ? i : -i - 1;
            return next < progress.size() ? Optional.of(Duration.between(fault.at(), progress.get(next)))
                    : Optional.empty();
        }
        Instant last = fault.at();
        for (String action : held) {
            Optional<Instant> finished = holders.holdsByAction.get(action).stream()
                    .filter(h -> h.end() != null && h.end().isAfter(fault.at())
                            && (h.outcome().equals("ok") || h.outcome().equals("failed")))
                    .map(HolderRecord.Hold::end).min(Instant::compareTo);
            if (finished.isEmpty()) {
                return Optional.empty();
            }
            last = finished.get().isAfter(last) ? finished.get() : last;
        }
        return Optional.of(Duration.between(fault.at(), last));
    }
}
