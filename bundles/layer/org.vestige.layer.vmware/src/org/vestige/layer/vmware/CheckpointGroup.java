package org.vestige.layer.vmware;

import java.util.List;
import java.util.Optional;

/**
 * One group of a VMware checkpoint (such as {@code memory}, {@code cpu} or {@code Checkpoint}): an
 * entry of the group table (a 64-byte name, the offset of its tags and its size) and the tags read
 * from there up to the end marker.
 *
 * @param name   the group's name
 * @param offset file offset of the group's first tag
 * @param size   the size the group table gives for the group
 * @param tags   its tags in file order; empty when the group was not read (see {@link #read()})
 * @param read   whether the group's tags were read
 * @since 0.1
 */
public record CheckpointGroup(String name, long offset, long size, List<CheckpointTag> tags, boolean read) {

    public CheckpointGroup {
        tags = List.copyOf(tags);
    }

    /** @return the first tag of this name whose indices are exactly {@code indices} */
    public Optional<CheckpointTag> tag(String tagName, int... indices) {
        return tags.stream().filter(t -> t.name().equals(tagName) && t.hasIndices(indices)).findFirst();
    }

    /** @return the first tag of this name, whatever its indices */
    public Optional<CheckpointTag> first(String tagName) {
        return tags.stream().filter(t -> t.name().equals(tagName)).findFirst();
    }

    /** @return every tag of this name, in file order */
    public List<CheckpointTag> all(String tagName) {
        return tags.stream().filter(t -> t.name().equals(tagName)).toList();
    }
}
