package io.jobway.handler;

import io.jobway.aws.Config;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The handlers a worker can run, by type. */
public final class JobHandlerRegistry {
    private final Map<String, JobHandler> handlers;

    private JobHandlerRegistry(Map<String, JobHandler> handlers) {
        this.handlers = Map.copyOf(handlers);
    }

    /** Every handler listed as a {@link JobHandler} service on the class path, configured from the environment. */
    public static JobHandlerRegistry discover(ClassLoader loader, Config environment) {
        Map<String, JobHandler> found = new TreeMap<>();
        for (JobHandler handler : ServiceLoader.load(JobHandler.class, loader)) {
            handler.configure(environment);
            JobHandler previous = found.put(handler.type(), handler);
            if (previous != null) {
                throw new IllegalStateException("two handlers for job type '" + handler.type() + "': "
                        + previous.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
        return new JobHandlerRegistry(found);
    }

    public static JobHandlerRegistry of(JobHandler... handlers) {
        Map<String, JobHandler> map = new TreeMap<>();
        for (JobHandler h : handlers) {
            map.put(h.type(), h);
        }
        return new JobHandlerRegistry(map);
    }

    /** This registry and one handler more (a built-in that needs collaborators, so no ServiceLoader entry). */
    public JobHandlerRegistry with(JobHandler handler) {
        if (handlers.containsKey(handler.type())) {
            throw new IllegalStateException("two handlers for job type '" + handler.type() + "'");
        }
        Map<String, JobHandler> more = new TreeMap<>(handlers);
        more.put(handler.type(), handler);
        return new JobHandlerRegistry(more);
    }

    public Optional<JobHandler> find(String type) {
        return Optional.ofNullable(handlers.get(type));
    }

    public Set<String> types() {
        return new java.util.TreeSet<>(handlers.keySet());
    }

    /** Fails at start when the API accepts a type (JOB_TYPES) that this worker cannot run. */
    public void requireAll(Set<String> declaredTypes) {
        Set<String> missing = new java.util.TreeSet<>(declaredTypes);
        missing.removeAll(handlers.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("JOB_TYPES names " + missing + " but the worker has no handler for them;"
                    + " handlers found: " + handlers.keySet());
        }
    }
}
