// SPDX-License-Identifier: MIT
pragma solidity 0.8.26;

/// @title ConsensusGuard
/// @notice Holds the circuit-breaker level of each protected market, as decided off-chain by
/// consensus-guard from the health of the chain's consensus. A venue's contracts read
/// `levelOf(market)` before they act. Levels, lowest to highest: 0 `normal`, 1 `caution`,
/// 2 `reduce_only`, 3 `halt`, 4 `settlement_hold`.
/// The keeper also proves it is alive: `heartbeat()` and every level change record the time in
/// `lastHeartbeat`, so a venue can treat a guard silent for too long as at least `reduce_only`
/// (a dead-man switch: a dead guard fails safe).
/// @dev Only the keeper changes levels; the owner rotates the keeper and can hand over ownership.
/// Every breaker transition carries a per-breaker sequence number (from 1); a market applies a
/// transition only if its sequence number is above the last one applied, so a repeated or late
/// delivery cannot move the level back.
contract ConsensusGuard {
    /// @notice Business as usual.
    uint8 public constant NORMAL = 0;
    /// @notice Widen quotes, raise margin.
    uint8 public constant CAUTION = 1;
    /// @notice No new risk; reducing positions, repaying and adding collateral stay open.
    uint8 public constant REDUCE_ONLY = 2;
    /// @notice Nothing executes.
    uint8 public constant HALT = 3;
    /// @notice Nothing settles: the chain's history itself is in doubt.
    uint8 public constant SETTLEMENT_HOLD = 4;

    struct MarketState {
        uint8 level;
        uint64 seq;
    }

    /// @notice May rotate the keeper and transfer ownership.
    address public owner;
    /// @notice The only account that may change levels and send heartbeats.
    address public keeper;
    /// @notice Block timestamp (seconds) of the keeper's last sign of life: a `heartbeat()`, a level
    /// change, or the deployment.
    /// @dev Packed with `keeper` in one slot: a heartbeat reads and writes that slot only.
    uint64 public lastHeartbeat;

    mapping(bytes32 market => MarketState) private markets;

    /// @notice A transition was applied to `market`.
    /// @param market The market id.
    /// @param from The level before.
    /// @param to The level after.
    /// @param seq The transition's sequence number, now the market's last applied one.
    /// @param keyHash keccak256 of the transition's idempotency key (UTF-8), for audits.
    event LevelChanged(bytes32 indexed market, uint8 from, uint8 to, uint64 seq, bytes32 indexed keyHash);

    /// @notice The keeper sent a heartbeat at block timestamp `at` (seconds).
    event Heartbeat(address indexed keeper, uint64 at);

    /// @notice The keeper changed.
    event KeeperChanged(address indexed previousKeeper, address indexed newKeeper);

    /// @notice The owner changed.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice The caller is not the keeper.
    error NotKeeper(address caller);
    /// @notice The caller is not the owner.
    error NotOwner(address caller);
    /// @notice The zero address cannot be the keeper or the owner.
    error ZeroAddress();
    /// @notice `level` is above `SETTLEMENT_HOLD`.
    error InvalidLevel(uint8 level);
    /// @notice The transition `seq` is not above the market's last applied `lastSeq`: it was
    /// already applied, or a later one was.
    error StaleSequence(bytes32 market, uint64 seq, uint64 lastSeq);

    modifier onlyKeeper() {
        if (msg.sender != keeper) revert NotKeeper(msg.sender);
        _;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// @param initialKeeper The account that will change levels.
    constructor(address initialKeeper) {
        if (initialKeeper == address(0)) revert ZeroAddress();
        owner = msg.sender;
        keeper = initialKeeper;
        lastHeartbeat = uint64(block.timestamp);
        emit OwnershipTransferred(address(0), msg.sender);
        emit KeeperChanged(address(0), initialKeeper);
    }

    /// @notice Applies a breaker transition to `market`.
    /// @dev Reverts with `StaleSequence` when `seq` is not above the last applied one, so the
    /// keeper can tell "already delivered" from a failure.
    /// @param market The market id.
    /// @param level The new level, 0 to 4.
    /// @param seq The transition's sequence number.
    /// @param keyHash keccak256 of the transition's idempotency key.
    function setLevel(bytes32 market, uint8 level, uint64 seq, bytes32 keyHash) external onlyKeeper {
        if (level > SETTLEMENT_HOLD) revert InvalidLevel(level);
        MarketState memory state = markets[market];
        if (seq <= state.seq) revert StaleSequence(market, seq, state.seq);
        markets[market] = MarketState({level: level, seq: seq});
        lastHeartbeat = uint64(block.timestamp);
        emit LevelChanged(market, state.level, level, seq, keyHash);
    }

    /// @notice Records that the keeper is alive now (`lastHeartbeat = block.timestamp`).
    function heartbeat() external onlyKeeper {
        uint64 at = uint64(block.timestamp);
        lastHeartbeat = at;
        emit Heartbeat(msg.sender, at);
    }

    /// @notice The breaker level of `market` (0 `normal` for a market never set).
    function levelOf(bytes32 market) external view returns (uint8) {
        return markets[market].level;
    }

    /// @notice The sequence number of the last transition applied to `market` (0 if none).
    function sequenceOf(bytes32 market) external view returns (uint64) {
        return markets[market].seq;
    }

    /// @notice Replaces the keeper. The new keeper's first heartbeat or level change refreshes
    /// `lastHeartbeat`; a rotation alone does not.
    /// @param newKeeper The account that will change levels from now on.
    function setKeeper(address newKeeper) external onlyOwner {
        if (newKeeper == address(0)) revert ZeroAddress();
        emit KeeperChanged(keeper, newKeeper);
        keeper = newKeeper;
    }

    /// @notice Hands ownership to `newOwner`.
    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }
}
