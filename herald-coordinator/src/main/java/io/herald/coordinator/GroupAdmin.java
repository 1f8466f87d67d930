package io.herald.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.Errors;

/** The admin view of the groups of one shard: ListGroups, DescribeGroups, ConsumerGroupDescribe and DeleteGroups. */
final class GroupAdmin {
    private final Map<String, Group> groups;
    private final Offsets offsets;
    private final TopicsView topics;
    private final ConsumerGroups consumerGroups;

    GroupAdmin(Map<String, Group> groups, Offsets offsets, TopicsView topics, ConsumerGroups consumerGroups) {
        this.groups = groups;
        this.offsets = offsets;
        this.topics = topics;
        this.consumerGroups = consumerGroups;
    }

    /** Filters are case-insensitive, as Kafka's; an empty filter matches every group. */
    List<ListGroupsResponseData.ListedGroup> list(Set<String> statesLower, Set<String> typesLower) {
        List<ListGroupsResponseData.ListedGroup> result = new ArrayList<>();
        for (Group g : groups.values()) {
            if (!statesLower.isEmpty() && !statesLower.contains(g.stateName().toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            if (!typesLower.isEmpty() && !typesLower.contains(g.type())) {
                continue;
            }
            result.add(new ListGroupsResponseData.ListedGroup()
                    .setGroupId(g.groupId())
                    .setProtocolType(g.protocolType())
                    .setGroupState(g.stateName())
                    .setGroupType(g.type()));
        }
        return result;
    }

    DescribeGroupsResponseData.DescribedGroup describe(String groupId, short version) {
        DescribeGroupsResponseData.DescribedGroup described =
                new DescribeGroupsResponseData.DescribedGroup().setGroupId(groupId);
        Group group = groups.get(groupId);
        if (!(group instanceof ClassicGroup classic)) {
            if (version >= 6) {
                return described
                        .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                        .setErrorMessage(
                                group == null
                                        ? "Group " + groupId + " not found."
                                        : "Group " + groupId + " is not a classic group.")
                        .setGroupState("Dead")
                        .setProtocolType("")
                        .setProtocolData("");
            }
            return described.setGroupState("Dead").setProtocolType("").setProtocolData("");
        }
        described
                .setGroupState(classic.stateName())
                .setProtocolType(classic.protocolType())
                .setProtocolData(
                        classic.is(ClassicGroup.State.STABLE) && classic.protocolName != null
                                ? classic.protocolName
                                : "");
        for (ClassicMember m : classic.members.values()) {
            boolean stable = classic.is(ClassicGroup.State.STABLE);
            byte[] metadata = stable ? m.metadata(classic.protocolName) : null;
            described
                    .members()
                    .add(new DescribeGroupsResponseData.DescribedGroupMember()
                            .setMemberId(m.memberId)
                            .setGroupInstanceId(m.groupInstanceId)
                            .setClientId(m.clientId)
                            .setClientHost(m.clientHost)
                            .setMemberMetadata(metadata == null ? new byte[0] : metadata)
                            .setMemberAssignment(stable ? m.assignment : new byte[0]));
        }
        return described;
    }

    ConsumerGroupDescribeResponseData.DescribedGroup describeConsumerGroup(String groupId) {
        ConsumerGroupDescribeResponseData.DescribedGroup described =
                new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId);
        Group group = groups.get(groupId);
        if (!(group instanceof ConsumerGroup consumer)) {
            return described
                    .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage(
                            group == null
                                    ? "Group " + groupId + " not found."
                                    : "Group " + groupId + " is not a consumer group.");
        }
        described
                .setGroupState(consumer.stateName())
                .setGroupEpoch(consumer.groupEpoch)
                .setAssignmentEpoch(consumer.assignmentEpoch)
                .setAssignorName(consumerGroups.assignorOf(consumer));
        for (ConsumerMember m : consumer.members.values()) {
            described
                    .members()
                    .add(new ConsumerGroupDescribeResponseData.Member()
                            .setMemberId(m.memberId)
                            .setInstanceId(m.instanceId)
                            .setRackId(m.rackId)
                            .setMemberEpoch(m.memberEpoch)
                            .setClientId(m.clientId)
                            .setClientHost(m.clientHost)
                            .setSubscribedTopicNames(new ArrayList<>(m.subscribedTopicNames))
                            .setSubscribedTopicRegex(m.subscribedTopicRegex)
                            .setAssignment(assignment(m.assigned))
                            .setTargetAssignment(assignment(consumer.target.getOrDefault(m.memberId, Map.of())))
                            .setMemberType((byte) 1));
        }
        return described;
    }

    private ConsumerGroupDescribeResponseData.Assignment assignment(Map<Uuid, Set<Integer>> partitions) {
        ConsumerGroupDescribeResponseData.Assignment assignment = new ConsumerGroupDescribeResponseData.Assignment();
        partitions.forEach((id, set) -> assignment
                .topicPartitions()
                .add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                        .setTopicId(id)
                        .setTopicName(
                                topics.byId(id).map(TopicsView.TopicInfo::name).orElse(""))
                        .setPartitions(new ArrayList<>(set))));
        return assignment;
    }

    Errors delete(String groupId, Effects fx) {
        Group group = groups.get(groupId);
        if (group == null) {
            return Errors.GROUP_ID_NOT_FOUND;
        }
        if (!group.isEmpty() || !"Empty".equals(group.stateName())) {
            return Errors.NON_EMPTY_GROUP;
        }
        groups.remove(groupId);
        offsets.deleteAll(groupId, fx);
        fx.write(GroupRecords.groupTombstone(
                group instanceof ConsumerGroup ? GroupRecords.CONSUMER_GROUP : GroupRecords.CLASSIC_GROUP, groupId));
        return Errors.NONE;
    }
}
