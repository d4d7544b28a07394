package io.dataparallel.operator.reconciler;

import io.dataparallel.api.InferenceJob;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Optional;

/**
 * Whose child an object is, from its controller owner reference. An InferenceJob's children are
 * known by its uid, not its name: a job deleted and applied again under the same name gets
 * children of the same names, and the garbage collector deletes the earlier ones only later.
 */
final class ChildOwner {
    private ChildOwner() {
    }

    static boolean controls(InferenceJob job, HasMetadata child) {
        return controller(child).map(o -> job.getMetadata().getUid().equals(o.getUid())).orElse(false);
    }

    /** Whether {@code object} is created as a controlled child (the worker ServiceAccount, shared by jobs, is not). */
    static boolean isControlledChild(HasMetadata object) {
        return controller(object).isPresent();
    }

    /** Why {@code existing}, found where {@code job} creates its child, is not that child. */
    static ChildNameTakenException taken(InferenceJob job, HasMetadata existing) {
        String what = existing.getKind() + " " + existing.getMetadata().getNamespace() + "/" + existing.getMetadata().getName();
        Optional<OwnerReference> owner = controller(existing);
        if (owner.isPresent() && "InferenceJob".equals(owner.get().getKind())
                && job.getMetadata().getName().equals(owner.get().getName())) {
            return new ChildNameTakenException("waiting for the garbage collector to delete " + what
                    + ", left by an earlier InferenceJob of this name (uid " + owner.get().getUid() + ")", true);
        }
        String holder = owner.map(o -> "is controlled by " + o.getKind() + " " + o.getName()).orElse("has no controller");
        return new ChildNameTakenException(what + " exists and is not this InferenceJob's (it " + holder
                + "): delete it or give the InferenceJob another metadata.name, and apply the InferenceJob again", false);
    }

    private static Optional<OwnerReference> controller(HasMetadata object) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs == null ? Optional.empty() : refs.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst();
    }
}
